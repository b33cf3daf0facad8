import type { DeployTarget } from './deploy';
import type { GateResult, LatencyBaseline } from './gates';
import type { RolloutPlan } from './plan';
import type { Breach, RolloutStatus } from './state';
import type { TimelineRow } from './timeline';

/**
 * Where a stage stands: in its bake; waiting for CloudWatch after it (`settling`); at its final evaluation; or waiting
 * for enough samples after it (`extending`).
 */
export type BakePhase = 'baking' | 'settling' | 'evaluating' | 'extending';

/** What the rollout core reports while it works. Rendered for a person, or as one JSON object per line with `--json`. */
export type RolloutEvent =
  | {
      readonly type: 'run_started';
      readonly stack: string;
      readonly plan: RolloutPlan;
      readonly resumed: boolean;
      readonly status: RolloutStatus;
      readonly stageIndex: number;
    }
  | { readonly type: 'baseline'; readonly baseline: LatencyBaseline }
  | {
      readonly type: 'deploy_started';
      readonly reason: string;
      readonly target: DeployTarget;
      readonly command: string;
      readonly attempt: number;
    }
  | { readonly type: 'deploy_finished'; readonly reason: string; readonly target: DeployTarget }
  | {
      readonly type: 'deploy_failed';
      readonly reason: string;
      readonly attempt: number;
      readonly error: string;
      /** When the deploy is tried again; undefined after the last attempt. */
      readonly retryInMs: number | undefined;
    }
  | { readonly type: 'dry_run'; readonly action: string; readonly command?: string }
  | {
      readonly type: 'bake_progress';
      readonly stageIndex: number;
      readonly stageCount: number;
      readonly percentage: number;
      readonly phase: BakePhase;
      /** Time left in the current phase. */
      readonly remainingMs: number;
      readonly window: { readonly start: string; readonly end: string };
      readonly gates: readonly GateResult[];
    }
  | { readonly type: 'stage_passed'; readonly stageIndex: number; readonly percentage: number; readonly gates: readonly GateResult[] }
  | { readonly type: 'breach'; readonly breach: Breach }
  | { readonly type: 'rolled_back'; readonly breach: Breach | undefined }
  | {
      readonly type: 'held';
      readonly stageIndex: number;
      readonly percentage: number;
      readonly gates: readonly GateResult[];
      readonly message: string;
    }
  | { readonly type: 'completed'; readonly stages: number }
  /** The run's timeline so far: after each stage's verdict, and at the end of a run. */
  | { readonly type: 'timeline'; readonly rows: readonly TimelineRow[] }
  | { readonly type: 'cleaned_up' }
  | { readonly type: 'info'; readonly message: string }
  | { readonly type: 'warning'; readonly message: string };

/** Receives {@link RolloutEvent}s. */
export interface Reporter {
  /** @param event - what happened */
  emit(event: RolloutEvent): void;
}
