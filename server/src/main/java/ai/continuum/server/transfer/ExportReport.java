package ai.continuum.server.transfer;

import java.nio.file.Path;

/** What an export wrote: the file (null for a stream), tenants, items and bytes. */
public record ExportReport(Path file, int tenants, long items, long bytes) {}
