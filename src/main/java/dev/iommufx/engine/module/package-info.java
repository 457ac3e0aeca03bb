/**
 * Driver modules: {@code kernel/module/main.c} ({@code finit_module()}, {@code delete_module()}) as kmod's
 * {@code modprobe} and {@code rmmod} drive it, and what a driver module's init and exit do on the buses
 * (kernel-model §2.6).
 */
package dev.iommufx.engine.module;
