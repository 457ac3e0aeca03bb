package dev.iommufx.scenario;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A step as it ran: the kernel's result and whether the step's expectation was met, with each
 * difference explained ("expected EPERM, the engine answered ok").
 */
public record StepOutcome(int index, Step step, OpResult result, Verdict verdict, List<String> mismatches) {
    public enum Verdict { MET, FAILED, NONE }

    /** Compares the kernel's answer and state right after the step with the step's expectation. */
    public static StepOutcome judge(int index, Step step, OpResult result, Kernel k) {
        Expectation e = step.expectFor(k.profile().key());
        if (e == null || e.isEmpty()) {
            return new StepOutcome(index, step, result, Verdict.NONE, List.of());
        }
        List<String> bad = new ArrayList<>();
        if (e.result() != null && !e.result().equals(result.resultLabel())) {
            bad.add("expected " + e.result() + ", the engine answered " + result.resultLabel());
        }
        for (Map.Entry<String, String> d : e.drivers().entrySet()) {
            Device dev = k.device(d.getKey());
            String actual = dev == null || dev.sysfsDriver() == null ? null : dev.sysfsDriver().name();
            if (!Objects.equals(d.getValue(), actual)) {
                bad.add("expected " + d.getKey() + " on " + driverLabel(d.getValue()) + ", it is on "
                        + driverLabel(actual));
            }
        }
        e.groups().forEach((id, state) -> {
            IommuGroup g = k.group(id);
            if (g == null) {
                bad.add("expected group " + id + " " + state + ", but it does not exist");
            } else if (g.state() != state) {
                bad.add("expected group " + id + " " + state + ", it is " + g.state());
            }
        });
        if (e.warnings() != null && e.warnings() != result.warnings().size()) {
            bad.add("expected " + e.warnings() + " WARN_ON(s), the kernel printed " + result.warnings().size());
        }
        if (e.flags() != null && !e.flags().equals(result.value())) {
            bad.add("expected flags " + e.flags() + ", got " + result.value());
        }
        return new StepOutcome(index, step, result, bad.isEmpty() ? Verdict.MET : Verdict.FAILED, List.copyOf(bad));
    }

    private static String driverLabel(String driver) {
        return driver == null ? "no driver" : driver;
    }
}
