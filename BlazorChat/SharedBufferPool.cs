using System.Buffers;
using System.Reflection;

namespace BlazorChat;

/// <summary>
/// How many arrays of each size the runtime's shared buffer pool (<see cref="ArrayPool{T}.Shared"/>) keeps per core. Every
/// render batch a circuit sends is written into a 2 KiB array from that pool (Blazor's batch buffer, returned when the
/// browser confirms the batch) and then into a 4 KiB one (SignalR's pipe, returned once the bytes are on the socket). A
/// message to a room rents one of each for every member at once; the runtime's default keeps 32 of each size per core, so
/// in a room of 200 most of those arrays were new each time and dropped on return: a third of everything the server
/// allocated in the soak (13,500 arrays of each size made and thrown away in 20 s), and with it a third of its
/// collections. Kept up to <see cref="ArraysPerSizePerCore"/>, a message to a room of a thousand finds them in the pool.
/// </summary>
/// <remarks>
/// The runtime reads the limit once, from its environment, when the pool is first used: <see cref="Configure"/> runs first
/// thing in <c>Program</c>, before anything rents. An operator who set the variable keeps their value. The pool holds only
/// arrays that were in use at once and came back, and lets unused ones go when memory is short (it trims on full
/// collections), so a quiet server keeps little of it.
/// </remarks>
public static class SharedBufferPool
{
    /// <summary>The runtime's setting (an environment variable only: there is no runtimeconfig.json property for it).</summary>
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Arrays of each size kept per core: a message to a room of 1,000 on two cores rents about that many at once.</summary>
    public const int ArraysPerSizePerCore = 512;

    /// <summary>Sets the limit unless the environment already does; true when it set it.</summary>
    public static bool Configure()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            return false;
        Environment.SetEnvironmentVariable(Variable, ArraysPerSizePerCore.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>
    /// What the pool of this process actually keeps per size and core, as the runtime read it (its first use fixes it); null
    /// when this runtime does not say (the field is the runtime's own, not an API).
    /// </summary>
    public static int? EffectiveArraysPerSizePerCore() =>
        typeof(ArrayPool<byte>).Assembly.GetType("System.Buffers.SharedArrayPoolStatics")
            ?.GetField("s_maxArraysPerPartition", BindingFlags.NonPublic | BindingFlags.Static)
            ?.GetValue(null) as int?;
}
