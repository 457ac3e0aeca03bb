/**
 * "Give this device to a VM": plans, runs and exports device passthrough.
 *
 * <ul>
 *   <li>{@link dev.iommufx.plan.PassthroughPlanner#plan} looks at a simulated machine as it is now and works out,
 *       for every IOMMU group the chosen devices are in, what must happen to each member (kernel-model §2 and
 *       §4: a group goes to VFIO only when no member is bound to a DMA-API driver), which refusals the kernel will
 *       answer, and what the host will miss.</li>
 *   <li>{@link dev.iommufx.plan.Plan#applyTo} runs a plan in the simulator, as the scenario steps
 *       {@code move}, {@code add_vm}, {@code give_group_to_vm} and {@code start_vm}.</li>
 *   <li>{@link dev.iommufx.plan.ShellScriptExport#render} writes a plan as a POSIX sh script for the real machine;
 *       iommufx never runs it.</li>
 * </ul>
 * The package uses the engine, the model and the scenario vocabulary; nothing below it uses the package.
 */
package dev.iommufx.plan;
