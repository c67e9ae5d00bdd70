/** targets module: filled in by later issues. */
package dev.qtune.targets;
