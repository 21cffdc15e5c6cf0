"""Mutated submit-job messages for fuzzing Cadre's intake, the same for every seed.

Run as a script it writes a case file (see case_file.py) that the JMS, AMQP and STOMP senders replay:
    submission_mutations.py --seed S --count N --prefix P --workdir DIR --out FILE
"""
import argparse
import json
import random

import case_file

HOSTILE_PATHS = ["../../etc/x", "/etc/passwd", "/proc/self/mem", "/dev/sda", "//etc//shadow", "/var/lib/x",
                 "a/../../b", "/sys/kernel/x", "/root/.ssh/authorized_keys", "", "/", "..", "/usr/bin/x"]
ODD_NUMBERS = [-1, 0, -2 ** 31, 2 ** 31, 2 ** 31 - 1, 2 ** 53 + 1, 2 ** 63, -2 ** 63, 10 ** 30, 10 ** 9, 10 ** 6,
               1.5, -0.0, 1e308, 1e-308, 4097, 10001, 1000001]
ODD_TYPES = ["cancel-job", "job-accepted", "job-rejected", "place-job", "runner-finished", "SUBMIT-JOB",
             "submit-job ", "", "submit_job", None, 7, ["submit-job"]]
INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc", b"\xed\xa0\x80",
                b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xe2\x82"]
CONTROL = [chr(c) for c in range(32)] + ["\x7f"]


def base_message(rnd, prefix, n, workdir):
    """A valid submission; the script is harmless, and the test never lets a fuzz job run anyway."""
    return {
        "type": "submit-job", "version": 1, "submissionId": "%s-%d-%016x" % (prefix, n, rnd.getrandbits(64)),
        "spec": {
            "name": "fuzz-%d" % n, "user": "fuzzer", "script": "#!/bin/sh\necho fuzz jobs never run\nexit 3\n",
            "args": ["a", "b"], "workDir": workdir, "stdout": "out-%j.txt", "environment": {"FUZZ": "1"},
            "timeLimitSeconds": 60, "nodes": 1, "tasks": 1, "tasksPerNode": 1, "cpusPerTask": 1, "gpusPerTask": 0,
            "memoryMb": 100, "kind": "exec", "maxAttempts": 1,
        },
    }


def places_in(value):
    """Every (container, key) pair in a JSON tree, so that a mutation can pick any node of it."""
    found = []
    keys = list(value) if isinstance(value, dict) else range(len(value)) if isinstance(value, list) else []
    for k in keys:
        found.append((value, k))
        found.extend(places_in(value[k]))
    return found


class Mutator:
    def __init__(self, seed, prefix, workdir):
        self.rnd = random.Random(seed)
        self.prefix = prefix
        self.workdir = workdir

    def other_type(self, value):
        choices = ["text", 42, -7, 3.25, True, False, None, [], [1, "x"], {}, {"k": "v"}]
        return self.rnd.choice([c for c in choices if type(c) is not type(value)])

    def long_text(self):
        roll = self.rnd.random()
        if roll < 0.005:
            return "L" * self.rnd.randint(1_100_000, 2_000_000)
        return self.rnd.choice("xA/%é\u4e2d") * self.rnd.randint(300, 70_000 if roll < 0.2 else 5_000)

    def sprinkle(self, text, pieces):
        for _ in range(self.rnd.randint(1, 4)):
            at = self.rnd.randint(0, len(text))
            text = text[:at] + self.rnd.choice(pieces) + text[at:]
        return text

    def mutate_tree(self, message):
        """One change to the parsed message: the value kinds, ranges and shapes a sender can get wrong."""
        nodes = places_in(message)
        if not nodes:
            message["type"] = "submit-job"
            return
        parent, key = self.rnd.choice(nodes)
        spec = message.get("spec") if isinstance(message.get("spec"), dict) else None
        kind = self.rnd.randrange(11)
        if kind == 0:
            parent.pop(key)
        elif kind == 1:
            parent[key] = self.other_type(parent[key])
        elif kind == 2:
            target = spec if spec and self.rnd.random() < 0.8 else parent
            field = self.rnd.choice(["nodes", "tasks", "tasksPerNode", "cpusPerTask", "gpusPerTask", "memoryMb",
                                     "timeLimitSeconds", "maxAttempts"]) if target is spec else key
            target[field] = self.rnd.choice(ODD_NUMBERS)
        elif kind == 3:
            message["type"] = self.rnd.choice(ODD_TYPES + ["t%x" % self.rnd.getrandbits(32)])
        elif kind == 4:
            nested = "deep"
            for _ in range(self.rnd.randint(10, 300)):
                nested = [nested] if self.rnd.random() < 0.5 else {"a": nested}
            parent[key] = nested
        elif kind == 5:
            parent[key] = self.long_text()
        elif kind == 6:
            parent[key] = self.sprinkle(str(parent[key]), CONTROL)
        elif kind == 7:
            # Lone surrogates survive JSON escapes but not UTF-8: they test how text is stored.
            parent[key] = self.sprinkle(str(parent[key]), ["\ud800", "\udfff", "\ufffe", "\u0000"])
        elif kind == 8 and spec is not None:
            spec[self.rnd.choice(["stdout", "stderr", "stdin", "workDir"])] = self.rnd.choice(HOSTILE_PATHS)
        elif kind == 9:
            message["version"] = self.rnd.choice([0, 1, 2, -1, 2 ** 40, "1", 1.0, None, True])
        else:
            (spec or message)["unknown%d" % self.rnd.randrange(5)] = self.other_type(None)

    def mutate_bytes(self, body):
        """One change to the encoded bytes: what a broken encoder or a damaged frame produces."""
        data = bytearray(body)
        kind = self.rnd.randrange(7)
        if kind == 0 and data:
            for _ in range(self.rnd.randint(1, 6)):
                data[self.rnd.randrange(len(data))] ^= 1 << self.rnd.randrange(8)
        elif kind == 1:
            for _ in range(self.rnd.randint(1, 6)):
                data.insert(self.rnd.randint(0, len(data)), self.rnd.randrange(256))
        elif kind == 2 and data:
            start = self.rnd.randrange(len(data))
            del data[start:start + self.rnd.randint(1, 40)]
        elif kind == 3:
            del data[self.rnd.randint(0, len(data)):]
        elif kind == 4:
            # Keys repeated at the top level or inside the spec.
            key = self.rnd.choice([b'"type":"submit-job",', b'"spec":{},', b'"name":"dup",', b'"tasks":2,'])
            at = data.find(b'"spec":{') + 8 if self.rnd.random() < 0.5 else 1
            data[at:at] = key
        elif kind == 5:
            for _ in range(self.rnd.randint(1, 4)):
                at = self.rnd.randint(0, len(data))
                data[at:at] = self.rnd.choice(INVALID_UTF8)
        else:
            for _ in range(self.rnd.randint(1, 4)):
                data.insert(self.rnd.randint(0, len(data)), self.rnd.choice(list(range(32)) + [127]))
        return bytes(data)

    def flat_map(self, message):
        """A map body: scalars stay scalars (as AMQP and JMS maps can carry them), the rest becomes JSON text."""
        flat = {}
        for k, v in (message.items() if isinstance(message, dict) else enumerate([message])):
            if isinstance(v, bool) or v is None or isinstance(v, (str, float)):
                flat[str(k)] = v
            elif isinstance(v, int) and -2 ** 63 <= v < 2 ** 63:
                flat[str(k)] = v
            else:
                flat[str(k)] = json.dumps(v)
        return flat

    def case(self, n):
        message = base_message(self.rnd, self.prefix, n, self.workdir)
        roll = self.rnd.random()
        if roll >= 0.08:
            for _ in range(self.rnd.randint(1, 3)):
                self.mutate_tree(message)
        body = json.dumps(message, ensure_ascii=self.rnd.random() < 0.5).encode("utf-8", "surrogatepass")
        if roll < 0.08 or self.rnd.random() < 0.4:
            body = self.mutate_bytes(body)
        case_id = "%s%d" % (self.prefix, n)
        reply_to = self.rnd.random() >= 0.01
        shape = self.rnd.random()
        if shape < 0.03:
            return case_file.map_case(case_id, self.flat_map(message), reply_to)
        if shape < 0.045:
            return case_file.list_case(case_id, list(self.flat_map(message).values()), reply_to)
        if shape < 0.055:
            return case_file.body_case(case_id, "none", b"", reply_to)
        kind = "bytes" if shape < 0.4 or not case_file.is_utf8(body) else "text"
        return case_file.body_case(case_id, kind, body, reply_to)


def generate(seed, count, prefix, workdir):
    mutator = Mutator(seed, prefix, workdir)
    return [mutator.case(n) for n in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    print("submission_mutations seed=%d count=%d prefix=%s" % (args.seed, args.count, args.prefix), flush=True)
    case_file.write_cases(args.out, generate(args.seed, args.count, args.prefix, args.workdir))


if __name__ == "__main__":
    main()
