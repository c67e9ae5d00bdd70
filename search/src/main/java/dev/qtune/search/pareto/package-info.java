/**
 * Pareto fronts and hypervolumes of minimised objective vectors: which trials are non-dominated
 * ({@link dev.qtune.search.pareto.ParetoFront}) and how much of objective space a front dominates
 * up to a reference point ({@link dev.qtune.search.pareto.Hypervolume}).
 */
package dev.qtune.search.pareto;
