/**
 * Search strategies in ask/tell form, all built by {@link dev.qtune.search.strategy.Strategies#create}:
 * {@code random} ({@link dev.qtune.search.strategy.RandomSearcher}), {@code nsga2}
 * ({@link dev.qtune.search.strategy.Nsga2Searcher}, Jenetics) and {@code bayesian}
 * ({@link dev.qtune.search.strategy.BayesianSearcher}, Gaussian processes on Commons Math).
 *
 * <p>Shared rules: objectives are minimised; every random draw derives from the spec's seed, and
 * the same seed, space and observations give the same proposals whatever order a batch's outcomes
 * are told in; proposals are distinct within a batch and never repeat a genome already told or
 * pending while the space has others (so a failed genome is never proposed again); an empty batch
 * means the space is exhausted; {@code ask(max)} returns a prefix of what a larger ask would.
 * Constraints: NSGA-II ranks feasible before infeasible (by violation) before failed trials
 * (constrained dominance); Bayesian optimisation multiplies its acquisition by a modelled
 * probability of feasibility and computes its front over feasible trials only, leaving failed
 * trials out of its regressions; random search ignores them.
 */
package dev.qtune.search.strategy;
