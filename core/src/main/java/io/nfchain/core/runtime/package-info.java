/**
 * The poll runtime: every datapath loop is an {@link io.nfchain.core.runtime.Agent} run by an
 * {@link io.nfchain.core.runtime.AgentRunner} on its own platform thread, with an
 * {@link io.nfchain.core.runtime.IdleStrategy} chosen by name
 * ({@link io.nfchain.core.runtime.IdleStrategies}: {@code adaptive}, {@code busy},
 * {@code backoff}, {@code interrupt}), an error handler and per-runner
 * {@link io.nfchain.core.runtime.RunnerStats}. Control changes reach an agent as commands on a
 * {@link io.nfchain.core.runtime.ManyToOneCommandQueue} it drains with a limit.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Time comes from an injected {@link io.nfchain.core.runtime.NanoClock} and sleeping
 *       goes through an injected {@link io.nfchain.core.runtime.Sleeper}: tests step runners
 *       and strategies by hand, with no wall time and no real sleep.
 *   <li>A duty cycle allocates nothing; statistics are published once per cycle under a
 *       sequence lock, never locked by the runner.
 *   <li>Only {@code wake()}, {@code close()} and the stats readers are for other threads.
 * </ul>
 * See docs/runtime.md for how the strategies decide and how to read the figures.
 */
package io.nfchain.core.runtime;
