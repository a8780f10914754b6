package io.kvmguest.agent.qemu;

/** A hard disk or a CD-ROM drive. */
public enum DriveKind { DISK, CDROM }
