/**
 * The recall evaluation harness behind {@code continuum eval}: a labelled dialogue dataset is parsed and validated
 * ({@link ai.continuum.eval.EvalDataset}), every conversation is indexed by each
 * {@link ai.continuum.eval.Retriever} (Continuum's engine in a fresh tenant, and a Lucene BM25 baseline over the
 * same turns), every question is answered with a ranking of turn ids, and {@link ai.continuum.eval.Metrics}
 * turns the rankings into hit@k, recall_all@k, MRR and latency percentiles, printed side by side or written as JSON.
 * {@link ai.continuum.eval.SyntheticDialogues} generates a large dataset with evidence known by construction.
 * Thread model: everything runs on the calling thread, one question at a time, so latencies are not disturbed by
 * the harness itself; the engine may use its own threads internally.
 */
package ai.continuum.eval;
