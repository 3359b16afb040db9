package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/**
 * What a bot may spend, in tokens and in money, per UTC day and per minute, kept by each runtime replica on its own.
 * A query is refused before the provider is asked once a budget it falls under is spent; an answer admitted while
 * there was budget left is counted in full, so a budget is passed by at most the answers in flight when it ran out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BotBudgets {

    @Min(1)
    @JsonPropertyDescription("Tokens (input and output) the bot may use per UTC day, all users together, as the "
            + "providers report them (counted with the token counter when a provider reports none).")
    private Long tokensPerDay;

    @Min(1)
    @JsonPropertyDescription("Tokens one Poe user (user_id) may use per UTC day.")
    private Long tokensPerDayPerUser;

    @Min(1)
    @JsonPropertyDescription("What the bot's answers may cost per UTC day, all users together, in usd_milli_cents "
            + "(1000 = one US cent), at the prices its providers list in spec.prices, else at spec.pricing.")
    private Long usdMilliCentsPerDay;

    @Min(1)
    @JsonPropertyDescription("What one Poe user's answers may cost per UTC day, in usd_milli_cents, priced as "
            + "usdMilliCentsPerDay.")
    private Long usdMilliCentsPerDayPerUser;

    @Min(1)
    @JsonPropertyDescription("Tokens the bot may use per minute (UTC clock minute), all users together.")
    private Long tokensPerMinute;

    /** Whether a budget counts usd_milli_cents. */
    public boolean countsMoney() {
        return usdMilliCentsPerDay != null || usdMilliCentsPerDayPerUser != null;
    }

    public Long getTokensPerDay() {
        return tokensPerDay;
    }

    public void setTokensPerDay(Long tokensPerDay) {
        this.tokensPerDay = tokensPerDay;
    }

    public Long getTokensPerDayPerUser() {
        return tokensPerDayPerUser;
    }

    public void setTokensPerDayPerUser(Long tokensPerDayPerUser) {
        this.tokensPerDayPerUser = tokensPerDayPerUser;
    }

    public Long getUsdMilliCentsPerDay() {
        return usdMilliCentsPerDay;
    }

    public void setUsdMilliCentsPerDay(Long usdMilliCentsPerDay) {
        this.usdMilliCentsPerDay = usdMilliCentsPerDay;
    }

    public Long getUsdMilliCentsPerDayPerUser() {
        return usdMilliCentsPerDayPerUser;
    }

    public void setUsdMilliCentsPerDayPerUser(Long usdMilliCentsPerDayPerUser) {
        this.usdMilliCentsPerDayPerUser = usdMilliCentsPerDayPerUser;
    }

    public Long getTokensPerMinute() {
        return tokensPerMinute;
    }

    public void setTokensPerMinute(Long tokensPerMinute) {
        this.tokensPerMinute = tokensPerMinute;
    }
}
