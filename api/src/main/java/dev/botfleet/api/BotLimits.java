package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Limits on a bot's queries that protect the provider bill, kept by each runtime replica on its own. A query over
 * a limit is answered at once with a Poe error and never reaches the provider.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BotLimits {

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("Queries one Poe user (user_id) may send per minute, per runtime replica.")
    private Integer requestsPerMinutePerUser;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Answers one Poe user may have streaming at once, per runtime replica.")
    private Integer concurrentAnswersPerUser;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("Answers the bot may have streaming at once, all users together, per runtime replica.")
    private Integer concurrentAnswers;

    public Integer getRequestsPerMinutePerUser() {
        return requestsPerMinutePerUser;
    }

    public void setRequestsPerMinutePerUser(Integer requestsPerMinutePerUser) {
        this.requestsPerMinutePerUser = requestsPerMinutePerUser;
    }

    public Integer getConcurrentAnswersPerUser() {
        return concurrentAnswersPerUser;
    }

    public void setConcurrentAnswersPerUser(Integer concurrentAnswersPerUser) {
        this.concurrentAnswersPerUser = concurrentAnswersPerUser;
    }

    public Integer getConcurrentAnswers() {
        return concurrentAnswers;
    }

    public void setConcurrentAnswers(Integer concurrentAnswers) {
        this.concurrentAnswers = concurrentAnswers;
    }
}
