package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailFieldsValidatorTest {
    private static List<String> problems(List<String> types, String user) {
        JobSpec spec = MessageCodecTest.spec().toBuilder().mailType(types).mailUser(user).build();
        return JobSpecValidator.validate(spec).stream().map(JobSpecValidator.Problem::toString).toList();
    }

    @Test
    void everySlurmTypeAndAnAddressPass() {
        for (MailType t : MailType.values()) {
            assertEquals(List.of(), problems(List.of(t.name()), "alice@example.org"), t.name());
        }
        assertEquals(List.of(), problems(List.of("BEGIN", "END", "TIME_LIMIT_80", "ARRAY_TASKS"), null));
        assertEquals(List.of(), problems(null, "alice"), "a recipient without types sends nothing, as in Slurm");
        assertEquals(List.of(), problems(null, "first.last+tag=x%y@mail-host.example.org"));
    }

    @Test
    void aTypeThatIsNoneOfSlurmsIsNamedByItsPlace() {
        assertEquals(List.of("spec.mailType[1]: 'BOGUS' is not a mail type; use one of "
                + Arrays.toString(MailType.values())), problems(List.of("END", "BOGUS"), null));
        assertEquals("spec.mailType[0]", problems(List.of("end"), null).get(0).split(":")[0], "names are upper case");
        assertEquals("spec.mailType[0]", problems(Arrays.asList((String) null), null).get(0).split(":")[0]);
        assertEquals(List.of("spec.mailType: must list 1 to 13 types"), problems(List.of(), null));
        assertEquals(List.of("spec.mailType: NONE must be the only type given"), problems(List.of("NONE", "END"), null));
    }

    @Test
    void aRecipientIsOneWordThatNoProgramReadsAsAnOption() {
        String rule = "spec.mailUser: must be a mail address or user name of 1 to 254 letters, digits and"
                + " '_ . + = % @ -', not starting with '-'";
        for (String bad : List.of("", "-oProxyCommand=x", "a b@example.org", "a@example.org\nBcc: x", "a;rm -rf ~",
                "$(id)@x", "`id`", "a|b", "a>b", "a'b", "a\"b", "a\tb", "é@example.org", "x".repeat(255))) {
            assertEquals(List.of(rule), problems(List.of("END"), bad), bad);
        }
        assertTrue(problems(List.of("END"), "x".repeat(254)).isEmpty());
    }

    @Test
    void allStandsForSlurmsSetAndNoneForNothing() {
        assertEquals(EnumSet.of(MailType.BEGIN, MailType.END, MailType.FAIL, MailType.INVALID_DEPEND,
                MailType.REQUEUE, MailType.STAGE_OUT), MailType.of(List.of("ALL")));
        assertEquals(EnumSet.noneOf(MailType.class), MailType.of(List.of("NONE")));
        assertEquals(EnumSet.noneOf(MailType.class), MailType.of(null));
        assertEquals(EnumSet.of(MailType.END, MailType.TIME_LIMIT_50), MailType.of(List.of("END", "TIME_LIMIT_50")));
    }

    @Test
    void theFieldsTravelUnderTheirCamelCaseNames() throws ProtocolException {
        JobSpec spec = MessageCodecTest.spec().toBuilder().mailType(List.of("END", "FAIL")).mailUser("a@b.org").build();
        String json = MessageCodec.encode(new ClientRequest.SubmitJob("k", spec));
        assertTrue(json.contains("\"mailType\":[\"END\",\"FAIL\"]") && json.contains("\"mailUser\":\"a@b.org\""), json);
        ClientRequest.SubmitJob back = (ClientRequest.SubmitJob) MessageCodec.decode(json);
        assertEquals(spec, back.spec());
        assertTrue(!MessageCodec.encode(new ClientRequest.SubmitJob("k", MessageCodecTest.spec())).contains("mail"),
                "absent fields stay off the wire");
    }
}
