/**
 * Text to terms: the concepts a message names ({@link ai.continuum.engine.extract.ConceptExtractor}), the decisions an
 * answer announces ({@link ai.continuum.engine.extract.DecisionExtractor}) and the lookup terms of a recall query
 * ({@link ai.continuum.engine.extract.QueryTerms}). Everything here is a pure function of its input text, written as
 * hand-rolled linear char scans (no regular expressions, so no backtracking on hostile input). The public extractors
 * are immutable and safe to share between threads; the package-private scanning helpers are created per call and
 * confined to the calling thread.
 */
package ai.continuum.engine.extract;
