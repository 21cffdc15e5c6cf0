package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Every message on the bus. The JSON {@code type} field carries the wire name given here;
 * Java class names never appear on the wire.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientRequest.SubmitJob.class, name = "submit-job"),
        @JsonSubTypes.Type(value = ClientRequest.SubmitJobs.class, name = "submit-jobs"),
        @JsonSubTypes.Type(value = ControlRequest.CancelJob.class, name = "cancel-job"),
        @JsonSubTypes.Type(value = ControlRequest.HoldJob.class, name = "hold-job"),
        @JsonSubTypes.Type(value = ControlRequest.ReleaseJob.class, name = "release-job"),
        @JsonSubTypes.Type(value = ControlRequest.RequeueJob.class, name = "requeue-job"),
        @JsonSubTypes.Type(value = ControlRequest.UpdateJob.class, name = "update-job"),
        @JsonSubTypes.Type(value = ControlRequest.SignalJob.class, name = "signal-job"),
        @JsonSubTypes.Type(value = ControlRequest.SuspendJob.class, name = "suspend-job"),
        @JsonSubTypes.Type(value = ControlRequest.ResumeJob.class, name = "resume-job"),
        @JsonSubTypes.Type(value = ControlRequest.TopJobs.class, name = "top-jobs"),
        @JsonSubTypes.Type(value = ClientRequest.CreateService.class, name = "create-service"),
        @JsonSubTypes.Type(value = ClientRequest.DeleteService.class, name = "delete-service"),
        @JsonSubTypes.Type(value = ClientRequest.UpdateService.class, name = "update-service"),
        @JsonSubTypes.Type(value = ControlRequest.DrainNode.class, name = "drain-node"),
        @JsonSubTypes.Type(value = ControlRequest.ResumeNode.class, name = "resume-node"),
        @JsonSubTypes.Type(value = ControlRequest.DeleteNode.class, name = "delete-node"),
        @JsonSubTypes.Type(value = ReservationRequest.CreateReservation.class, name = "create-reservation"),
        @JsonSubTypes.Type(value = ReservationRequest.UpdateReservation.class, name = "update-reservation"),
        @JsonSubTypes.Type(value = ReservationRequest.DeleteReservation.class, name = "delete-reservation"),
        @JsonSubTypes.Type(value = PartitionRequest.CreatePartition.class, name = "create-partition"),
        @JsonSubTypes.Type(value = PartitionRequest.UpdatePartition.class, name = "update-partition"),
        @JsonSubTypes.Type(value = PartitionRequest.DeletePartition.class, name = "delete-partition"),
        @JsonSubTypes.Type(value = ClientRequest.ForecastStarts.class, name = "forecast-starts"),
        @JsonSubTypes.Type(value = ClientRequest.ExecGrant.class, name = "exec-grant"),
        @JsonSubTypes.Type(value = ClientReply.JobAccepted.class, name = "job-accepted"),
        @JsonSubTypes.Type(value = ClientReply.JobRejected.class, name = "job-rejected"),
        @JsonSubTypes.Type(value = ClientReply.JobsSubmitted.class, name = "jobs-submitted"),
        @JsonSubTypes.Type(value = ClientReply.CancelResult.class, name = "cancel-result"),
        @JsonSubTypes.Type(value = ClientReply.ControlResult.class, name = "control-result"),
        @JsonSubTypes.Type(value = ClientReply.ServiceResult.class, name = "service-result"),
        @JsonSubTypes.Type(value = ClientReply.NodeResult.class, name = "node-result"),
        @JsonSubTypes.Type(value = ClientReply.StartForecast.class, name = "start-forecast"),
        @JsonSubTypes.Type(value = ClientReply.ExecGrantResult.class, name = "exec-grant-result"),
        @JsonSubTypes.Type(value = ClientReply.TopResult.class, name = "top-result"),
        @JsonSubTypes.Type(value = ClientReply.ReservationResult.class, name = "reservation-result"),
        @JsonSubTypes.Type(value = ClientReply.PartitionResult.class, name = "partition-result"),
        @JsonSubTypes.Type(value = NodeCommand.PlaceJob.class, name = "place-job"),
        @JsonSubTypes.Type(value = NodeCommand.PlaceJobs.class, name = "place-jobs"),
        @JsonSubTypes.Type(value = NodeCommand.KillJob.class, name = "kill-job"),
        @JsonSubTypes.Type(value = NodeCommand.SignalAttempt.class, name = "signal-attempt"),
        @JsonSubTypes.Type(value = NodeCommand.SetTimeLimit.class, name = "set-time-limit"),
        @JsonSubTypes.Type(value = NodeCommand.QueryAttempt.class, name = "query-attempt"),
        @JsonSubTypes.Type(value = NodeCommand.SuspendAttempt.class, name = "suspend-attempt"),
        @JsonSubTypes.Type(value = NodeCommand.ResumeAttempt.class, name = "resume-attempt"),
        @JsonSubTypes.Type(value = RunnerEvent.RunnerRunning.class, name = "runner-running"),
        @JsonSubTypes.Type(value = RunnerEvent.RunnerFinished.class, name = "runner-finished"),
        @JsonSubTypes.Type(value = RunnerEvent.RunnerFailed.class, name = "runner-failed"),
        @JsonSubTypes.Type(value = RunnerEvent.RunnerReleased.class, name = "runner-released"),
        @JsonSubTypes.Type(value = RunnerEvent.NodeHeartbeat.class, name = "node-heartbeat"),
        @JsonSubTypes.Type(value = RunnerEvent.RunnerEvents.class, name = "runner-events"),
        @JsonSubTypes.Type(value = JobEvent.JobStateChanged.class, name = "job-state-changed"),
        @JsonSubTypes.Type(value = JobEvent.JobUpdated.class, name = "job-updated"),
        @JsonSubTypes.Type(value = JobEvent.ArrayPartJoined.class, name = "array-part-joined"),
        @JsonSubTypes.Type(value = JobEvent.NodeStateChanged.class, name = "node-state-changed"),
        @JsonSubTypes.Type(value = JobEvent.NodeDeleted.class, name = "node-deleted"),
        @JsonSubTypes.Type(value = ExecMessage.ExecRequest.class, name = "exec-request"),
        @JsonSubTypes.Type(value = ExecMessage.ExecKeepalive.class, name = "exec-keepalive"),
        @JsonSubTypes.Type(value = ExecMessage.ExecStarted.class, name = "exec-started"),
        @JsonSubTypes.Type(value = ExecMessage.ExecOutput.class, name = "exec-output"),
        @JsonSubTypes.Type(value = ExecMessage.ExecExit.class, name = "exec-exit"),
        @JsonSubTypes.Type(value = ExecMessage.ExecInput.class, name = "exec-input"),
        @JsonSubTypes.Type(value = ExecMessage.ExecInputAck.class, name = "exec-input-ack"),
        @JsonSubTypes.Type(value = ExecMessage.ExecResize.class, name = "exec-resize"),
        @JsonSubTypes.Type(value = OutputMessage.ReadOutput.class, name = "read-output"),
        @JsonSubTypes.Type(value = OutputMessage.OutputChunk.class, name = "output-chunk"),
        @JsonSubTypes.Type(value = UsageMessage.ReadUsage.class, name = "read-usage"),
        @JsonSubTypes.Type(value = UsageMessage.UsageReading.class, name = "usage-reading"),
})
public sealed interface Message permits ClientRequest, ClientReply, NodeCommand, RunnerEvent, JobEvent,
        ExecMessage, OutputMessage, UsageMessage {
    /** The protocol version this code speaks; see docs/protocol.md for the compatibility rules. */
    int PROTOCOL_VERSION = 1;

    /** Written into every message; a receiver refuses a higher major version than its own. */
    @JsonProperty("version")
    default int version() {
        return PROTOCOL_VERSION;
    }
}
