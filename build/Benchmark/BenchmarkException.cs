namespace Lading.Benchmark;

/// <summary>The benchmark cannot run: a tool is missing, the local registry did not start, a contender failed.</summary>
public sealed class BenchmarkException(string message, Exception? inner = null) : Exception(message, inner);
