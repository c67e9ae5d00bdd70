/** search module: filled in by later issues. */
package dev.qtune.search;
