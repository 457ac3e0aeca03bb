package dev.iommufx.plan;

import dev.iommufx.engine.Errno;

/**
 * Something the kernel will refuse, predicted before anything is done.
 *
 * @param device the device concerned
 * @param errno  what the kernel will answer
 * @param reason why, in plain words
 */
public record Refusal(String device, Errno errno, String reason) {
}
