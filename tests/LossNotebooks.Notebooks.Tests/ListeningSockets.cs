using System.Globalization;
using System.Net;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>A TCP socket in the LISTEN state and the process that holds it.</summary>
public sealed record ListeningSocket(int Pid, IPAddress Address, int Port)
{
    /// <summary>Reachable only from this machine: 127.0.0.0/8, ::1 or an IPv4-mapped 127.x address.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address.IsIPv4MappedToIPv6 ? Address.MapToIPv4() : Address);

    public override string ToString() => $"{new IPEndPoint(Address, Port)} (pid {Pid})";
}

/// <summary>
/// Which TCP ports processes listen on, read from Linux's /proc the way `ss -ltnp` does: the socket inodes in
/// /proc/PID/fd matched against the LISTEN rows of /proc/PID/net/tcp and tcp6.
/// </summary>
public static class ListeningSockets
{
    private const string Listen = "0A"; // TCP_LISTEN in include/net/tcp_states.h

    /// <summary>The listening sockets held by any of <paramref name="pids"/>; processes that are gone are skipped.</summary>
    public static IReadOnlyList<ListeningSocket> Of(IEnumerable<int> pids)
    {
        var found = new List<ListeningSocket>();
        foreach (int pid in pids)
        {
            var inodes = SocketInodes(pid);
            if (inodes.Count == 0) continue;
            foreach (var (table, v6) in new[] { ("tcp", false), ("tcp6", true) })
            {
                string[] rows;
                try { rows = File.ReadAllLines($"/proc/{pid}/net/{table}"); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // gone, or no IPv6
                foreach (string row in rows.Skip(1))
                {
                    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
                    string[] f = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length < 10 || f[3] != Listen || !inodes.Contains(f[9])) continue;
                    string[] local = f[1].Split(':');
                    found.Add(new ListeningSocket(pid, ParseAddress(local[0], v6), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                }
            }
        }
        return found;
    }

    /// <summary>
    /// An address as /proc/net/tcp prints it: each 32-bit word of the network-order address read as a host-order
    /// integer and printed as 8 hex digits (so on little-endian machines the bytes of every word appear reversed).
    /// </summary>
    public static IPAddress ParseAddress(string hex, bool v6)
    {
        byte[] bytes = Convert.FromHexString(hex);
        if (bytes.Length != (v6 ? 16 : 4)) throw new FormatException($"not an IPv{(v6 ? 6 : 4)} address in /proc/net/tcp: {hex}");
        if (BitConverter.IsLittleEndian)
            for (int word = 0; word < bytes.Length; word += 4) Array.Reverse(bytes, word, 4);
        return new IPAddress(bytes);
    }

    /// <summary><paramref name="pid"/> and every process below it (children, their children …), from the parent ids in /proc/*/stat.</summary>
    public static IReadOnlyList<int> ProcessTree(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int child)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            int parent = int.Parse(rest[1], CultureInfo.InvariantCulture);
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(child);
        }
        var tree = new List<int> { pid };
        for (int i = 0; i < tree.Count; i++)
            if (children.TryGetValue(tree[i], out var below)) tree.AddRange(below);
        return tree;
    }

    private static HashSet<string> SocketInodes(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                string? target;
                try { target = new FileInfo(fd).LinkTarget; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // closed meanwhile
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the process is gone
        return inodes;
    }
}
