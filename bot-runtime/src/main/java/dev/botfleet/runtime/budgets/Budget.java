package dev.botfleet.runtime.budgets;

import dev.botfleet.api.BotBudgets;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Function;

/** One of a bot's {@link BotBudgets}: what it counts, over which period, for whom. */
public enum Budget {
    TOKENS_PER_DAY(BotBudgets::getTokensPerDay, ChronoUnit.DAYS, false, false),
    TOKENS_PER_DAY_PER_USER(BotBudgets::getTokensPerDayPerUser, ChronoUnit.DAYS, true, false),
    USD_MILLI_CENTS_PER_DAY(BotBudgets::getUsdMilliCentsPerDay, ChronoUnit.DAYS, false, true),
    USD_MILLI_CENTS_PER_DAY_PER_USER(BotBudgets::getUsdMilliCentsPerDayPerUser, ChronoUnit.DAYS, true, true),
    TOKENS_PER_MINUTE(BotBudgets::getTokensPerMinute, ChronoUnit.MINUTES, false, false);

    private final Function<BotBudgets, Long> limit;
    private final ChronoUnit period;
    private final boolean perUser;
    private final boolean money;
    private final String tag = name().toLowerCase(Locale.ROOT);

    Budget(Function<BotBudgets, Long> limit, ChronoUnit period, boolean perUser, boolean money) {
        this.limit = limit;
        this.period = period;
        this.perUser = perUser;
        this.money = money;
    }

    /** The bot's limit of this budget, or null when it sets none. */
    public Long limit(BotBudgets budgets) {
        return limit.apply(budgets);
    }

    public boolean perUser() {
        return perUser;
    }

    /** Whether it counts usd_milli_cents rather than tokens. */
    public boolean money() {
        return money;
    }

    /** The start of the period (UTC day or minute) that {@code now} falls in, which names its count. */
    public Instant periodStart(Instant now) {
        return now.truncatedTo(period);
    }

    /** How long until the period that {@code now} falls in ends and the budget is whole again. */
    public Duration untilReset(Instant now) {
        return Duration.between(now, periodStart(now).plus(1, period));
    }

    /** How long a count must be kept: its period, and a minute more for answers that end after it. */
    public Duration kept() {
        return period.getDuration().plusMinutes(1);
    }

    /** Its name in metrics. */
    public String tag() {
        return tag;
    }
}
