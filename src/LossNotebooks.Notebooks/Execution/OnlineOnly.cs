using System.Text.Json.Nodes;
using LossNotebooks.Notebooks.Documents;

namespace LossNotebooks.Notebooks.Execution;

/// <summary>
/// Cell metadata <c>"lossnb": { "onlineOnly": true, "reason": "needs Plotly.NET from nuget.org" }</c> marks a
/// cell that needs what this machine cannot have; the runner skips it and reports the reason.
/// </summary>
public static class OnlineOnly
{
    public const string MetadataKey = "lossnb";

    public static bool IsOnlineOnly(NotebookCell cell, out string reason)
    {
        var lossnb = cell.Metadata[MetadataKey] as JsonObject;
        bool flag = lossnb?["onlineOnly"] is JsonValue v && v.TryGetValue(out bool b) && b;
        string? why = lossnb?["reason"] is JsonValue r && r.TryGetValue(out string? s) ? s : null;
        reason = "online-only cell" + (why is null ? "" : $": {why}");
        return flag;
    }
}
