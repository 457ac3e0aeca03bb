/**
 * No kernel file: the context of the operation in progress ({@link dev.iommufx.engine.trace.Trace}): its call path
 * as the kernel functions it passed through ({@link dev.iommufx.engine.trace.Frame}), its WARN_ONs and log lines,
 * and what it returns besides its errno (whether it blocked, status flags, whether its failure changed state).
 * Begun afresh for every operation, so nothing of one reaches the next.
 */
package dev.iommufx.engine.trace;
