/** Search: spaces of per-layer genes, strategies (NSGA-II, Bayesian, random), Pareto front, trial execution. */
package dev.qtune.search;
