import { Budget } from '../src/budget';

describe('Budget', () => {
  it('counts down on the injected clock and is exceeded at its end', () => {
    let now = 1000;
    const budget = new Budget(500, () => now);
    expect(budget.remainingMs()).toBe(500);
    expect(budget.exceeded()).toBe(false);
    now = 1499;
    expect(budget.exceeded()).toBe(false);
    now = 1500;
    expect(budget.exceeded()).toBe(true);
    now = 2000;
    expect(budget.remainingMs()).toBe(0);
  });

  it('gives sub-budgets that end no later than their parent', () => {
    let now = 0;
    const total = new Budget(1000, () => now);
    expect(total.sub(300).remainingMs()).toBe(300);
    now = 900;
    expect(total.sub(300).remainingMs()).toBe(100);
  });
});
