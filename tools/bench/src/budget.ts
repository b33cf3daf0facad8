/**
 * Time budgets, so that the whole run stays within its bound on a slow or busy machine: a phase stops taking new
 * samples when its budget is spent, and says so in the report, instead of running long.
 */
export class Budget {
  private readonly deadline: number;

  /**
   * @param ms - the budget, from now
   * @param now - clock in milliseconds (injected in tests)
   */
  constructor(
    ms: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.deadline = this.now() + ms;
  }

  /** Milliseconds left (never negative). */
  remainingMs(): number {
    return Math.max(0, this.deadline - this.now());
  }

  /** Whether the budget is spent. */
  exceeded(): boolean {
    return this.now() >= this.deadline;
  }

  /**
   * A budget that ends at `ms` from now or at this budget's end, whichever comes first.
   *
   * @param ms - the sub-budget's own bound
   */
  sub(ms: number): Budget {
    return new Budget(Math.min(ms, this.remainingMs()), this.now);
  }
}
