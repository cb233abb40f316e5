-- 0013 web dashboard (issue 13): each reconciliation run keeps its timing
-- breakdown (steps, durations, shares, memory) as JSON, so the overview can
-- show the last run's timing without the run's report file.
ALTER TABLE reconcile_runs ADD COLUMN timing_json TEXT NOT NULL DEFAULT '';
