package io.github.pyflinksqs.sink;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** botocore's standard-mode retry quota, and backoff counted per entry. */
class RetryBudgetTest {
    @Test
    void failedAnswersDrainTheBucketAndSuccessesRefillIt() {
        RetryBudget budget = new RetryBudget();
        int retries = 0;
        while (budget.tryAcquire(false)) {
            retries++;
        }
        assertEquals(RetryBudget.CAPACITY / RetryBudget.RETRY_COST, retries);
        budget.onSuccess(true);
        assertTrue(budget.tryAcquire(false), "a retry that succeeded gives its cost back");
        assertFalse(budget.tryAcquire(false));
        for (int i = 0; i < RetryBudget.RETRY_COST; i++) {
            budget.onSuccess(false);
        }
        assertTrue(budget.tryAcquire(false), "first-time successes refill one token each");
    }

    @Test
    void aRetryAfterNoAnswerCostsMore() {
        RetryBudget budget = new RetryBudget();
        int retries = 0;
        while (budget.tryAcquire(true)) {
            retries++;
        }
        assertEquals(RetryBudget.CAPACITY / RetryBudget.NO_ANSWER_RETRY_COST, retries);
    }

    @Test
    void theBucketNeverHoldsMoreThanItsCapacity() {
        RetryBudget budget = new RetryBudget();
        for (int i = 0; i < 1_000; i++) {
            budget.onSuccess(true);
        }
        assertEquals(RetryBudget.CAPACITY, budget.tokens());
    }

    @RepeatedTest(20)
    void theBackoffGrowsPerAttemptUpToTheCap() {
        Backoff backoff = new Backoff(50, 5_000);
        assertEquals(50, backoff.ceilingMillis(0));
        assertEquals(400, backoff.ceilingMillis(3));
        assertEquals(5_000, backoff.ceilingMillis(7));
        assertEquals(5_000, backoff.ceilingMillis(1_000));
        long delay = backoff.delayMillis(2);
        assertTrue(delay >= 0 && delay <= 200, "full jitter within [0, 200]: " + delay);
    }
}
