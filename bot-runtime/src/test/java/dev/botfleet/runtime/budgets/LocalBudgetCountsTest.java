package dev.botfleet.runtime.budgets;

class LocalBudgetCountsTest extends BudgetCountsContract {

    private final LocalBudgetCounts counts = new LocalBudgetCounts(1000);

    @Override
    protected BudgetCounts counts() {
        return counts;
    }
}
