/**
 * Datasets for calibration and evaluation: reading IDX image/label files (raw or gzip),
 * dataset specs in YAML ({@link dev.qtune.evaluator.data.DatasetSpec}), the built-in
 * {@code mnist} and {@code fashion-mnist} datasets committed under {@code data/}, and
 * {@link dev.qtune.evaluator.data.Dataset}, an immutable split that fills float NCHW batches.
 *
 * <p>Entry point: {@link dev.qtune.evaluator.data.Datasets#load(String, String)}. Every failure
 * is a {@link dev.qtune.evaluator.data.DatasetException} whose one-line message names the file
 * (and the YAML key path where relevant), what was expected and what was found.
 *
 * <p>Built-in splits: {@code test} is the full 10,000-image test set; {@code calibration}
 * (1,000 images) and {@code validation} (4,000 images) are disjoint slices of the first 5,000
 * training images, so calibration never sees the test set.
 */
package dev.qtune.evaluator.data;
