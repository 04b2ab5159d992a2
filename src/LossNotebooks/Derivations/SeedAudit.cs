using System.Text;
using LossNotebooks.Display;

namespace LossNotebooks.Derivations;

/// <summary>The audit verdict on one seed claim.</summary>
public enum AuditVerdict
{
    /// <summary>The seed is right and the check passes.</summary>
    Correct,
    /// <summary>The seed is wrong (its line fails) and the corrected form passes.</summary>
    WrongCorrected,
    /// <summary>The seed is wrong and no passing correction is given.</summary>
    WrongNotCorrected,
    /// <summary>The project said the seed is right, but the check failed: a regression.</summary>
    CorrectClaimFailed,
    /// <summary>The project said the seed is wrong, but its line passed: the audit is mistaken.</summary>
    SeedErrorNotReproduced,
}

/// <summary>One row of the audit table.</summary>
public sealed record AuditRow(string Seed, string StepId, string Claim, AuditVerdict Verdict, string Evidence)
{
    public string VerdictText => Verdict switch
    {
        AuditVerdict.Correct => "Correct",
        AuditVerdict.WrongCorrected => "Wrong (corrected form passes)",
        AuditVerdict.WrongNotCorrected => "Wrong-and-not-corrected",
        AuditVerdict.CorrectClaimFailed => "FAILED (claimed correct)",
        _ => "NOT REPRODUCED (claimed wrong)",
    };
}

/// <summary>
/// The seed audit: one row per seed claim (corrections appear in the evidence of the claim they correct), built from
/// the step records the notebooks display (<see cref="StepResult.MimeType"/>) — the same steps a reader sees and
/// edits, never a second copy. <see cref="ProjectClaimsHold"/> is what <c>lossnb check</c> turns into its exit code.
/// Steps of derivations without a seed file are checked (they count for <see cref="ProjectClaimsHold"/>) but get no row.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class SeedAudit : IRichDisplay
{
    private SeedAudit(IReadOnlyList<StepRecord> records, IReadOnlyList<AuditRow> rows, IReadOnlyList<string> problems) =>
        (Records, Rows, Problems) = (records, rows, problems);

    /// <summary>Every step record read, in notebook order.</summary>
    public IReadOnlyList<StepRecord> Records { get; }
    public IReadOnlyList<AuditRow> Rows { get; }
    /// <summary>Structural problems: a duplicate step, a correction that is not there, a notebook without steps.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>
    /// False if any step the project claims correct fails (a Correct seed line, or a correction), if a seed line
    /// the project calls wrong turns out to pass, or if there is a structural problem.
    /// </summary>
    public bool ProjectClaimsHold => Problems.Count == 0 && Records.All(r => r.AsExpected);

    /// <summary>Builds the audit from step records (e.g. <see cref="ReadNotebook"/> over the executed notebooks).</summary>
    public static SeedAudit FromRecords(IEnumerable<StepRecord> records, IEnumerable<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var all = records.ToList();
        var issues = problems?.ToList() ?? [];
        // A record must agree with itself: an edited or truncated notebook must not pass for a verified one.
        foreach (var r in all)
        {
            if (r.Samples <= 0 || r.Failures < 0 || r.Failures > r.Samples)
                issues.Add($"step '{r.Id}' of '{r.Derivation}' has {r.Failures} failures of {r.Samples} inputs");
            else if (r.Passed != (r.Failures == 0))
                issues.Add($"step '{r.Id}' of '{r.Derivation}' says Passed = {r.Passed} with {r.Failures} failures of {r.Samples} inputs");
        }
        foreach (var g in all.GroupBy(r => (r.Derivation, r.Id)).Where(g => g.Count() > 1))
            issues.Add($"step '{g.Key.Id}' of '{g.Key.Derivation}' is shown {g.Count()} times (one cell per step)");
        var byKey = all.GroupBy(r => (r.Derivation, r.Id)).ToDictionary(g => g.Key, g => g.First());
        foreach (var r in all.Where(r => r.CorrectedBy is not null && !byKey.ContainsKey((r.Derivation, r.CorrectedBy!))))
            issues.Add($"step '{r.Id}' names a correction '{r.CorrectedBy}' that no cell shows");
        var corrections = all.Where(r => r.CorrectedBy is not null).Select(r => (r.Derivation, r.CorrectedBy!)).ToHashSet();
        var rows = new List<AuditRow>();
        foreach (var r in all)
        {
            if (r.Seed is null || corrections.Contains((r.Derivation, r.Id))) continue;
            if (rows.Any(x => x.Seed == r.Seed && x.StepId == r.Id)) continue;
            rows.Add(Row(r, r.CorrectedBy is { } c && byKey.TryGetValue((r.Derivation, c), out var fix) ? fix : null));
        }
        return new SeedAudit(all, rows, issues);
    }

    private static AuditRow Row(StepRecord s, StepRecord? fix)
    {
        string seed = s.Seed!;
        if (s.Expected == ExpectedVerdict.Correct)
            return new(seed, s.Id, s.Claim, s.Passed ? AuditVerdict.Correct : AuditVerdict.CorrectClaimFailed, s.Evidence);
        string evidence = $"seed: {s.Evidence}" + (fix is null ? "; no correction" : $"; corrected ({fix.Id}): {fix.Evidence}");
        var verdict = s.Passed ? AuditVerdict.SeedErrorNotReproduced
            : fix is { Passed: true } ? AuditVerdict.WrongCorrected : AuditVerdict.WrongNotCorrected;
        return new(seed, s.Id, s.Claim, verdict, evidence);
    }

    /// <summary>
    /// The step records an executed notebook (.ipynb, nbformat 4) carries: every output whose data holds
    /// <see cref="StepResult.MimeType"/> (as a JSON object or a JSON string), in cell order.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a notebook, or a step record in it is malformed (the message names the file, cell and output).</exception>
    public static IReadOnlyList<StepRecord> ReadNotebook(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text = File.ReadAllText(path);
        var records = new List<StepRecord>();
        int cellNumber = 0, outputNumber = 0;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object || !doc.RootElement.TryGetProperty("cells", out var cells)
                || cells.ValueKind != System.Text.Json.JsonValueKind.Array)
                throw new InvalidDataException($"{path} is not a notebook (no 'cells' list).");
            foreach (var cell in cells.EnumerateArray())
            {
                cellNumber++;
                outputNumber = 0;
                if (cell.ValueKind != System.Text.Json.JsonValueKind.Object || !cell.TryGetProperty("outputs", out var outputs)) continue;
                foreach (var o in outputs.EnumerateArray())
                {
                    outputNumber++;
                    if (o.ValueKind != System.Text.Json.JsonValueKind.Object || !o.TryGetProperty("data", out var data)
                        || data.ValueKind != System.Text.Json.JsonValueKind.Object || !data.TryGetProperty(StepResult.MimeType, out var v)) continue;
                    string json = v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString()!
                        : v.ValueKind == System.Text.Json.JsonValueKind.Array ? string.Concat(v.EnumerateArray().Select(x => x.GetString()))
                        : v.GetRawText();
                    var record = StepRecord.FromJson(json);
                    if (string.IsNullOrWhiteSpace(record.Id) || string.IsNullOrWhiteSpace(record.Derivation) || !Enum.IsDefined(record.Expected))
                        throw new InvalidDataException("the record lacks Id, Derivation or a valid Expected");
                    records.Add(record);
                }
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException or FormatException or NotSupportedException
            or InvalidDataException && cellNumber > 0)
        {
            string where = cellNumber == 0 ? "" : $" cell {cellNumber}" + (outputNumber > 0 ? $", output {outputNumber}" : "") + ":";
            throw new InvalidDataException(cellNumber == 0 ? $"{path} is not a readable notebook ({e.Message})" : $"{path}:{where} not a readable step record ({e.Message})", e);
        }
        return records;
    }

    /// <summary>The audit over executed notebooks; a notebook without any step record is a problem (it did not run, or lost its steps).</summary>
    /// <param name="paths">Executed notebooks to read the step records from.</param>
    /// <param name="problems">Problems found before reading (e.g. an expected notebook that is missing).</param>
    public static SeedAudit FromNotebooks(IEnumerable<string> paths, IEnumerable<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var records = new List<StepRecord>();
        var found = new List<string>(problems ?? []);
        foreach (var p in paths)
        {
            var r = ReadNotebook(p);
            if (r.Count == 0) found.Add($"{Path.GetFileName(p)} shows no derivation step (was it executed?)");
            records.AddRange(r);
        }
        return FromRecords(records, found);
    }

    private string Summary
    {
        get
        {
            int steps = Records.Count, unexpected = Records.Count(s => !s.AsExpected);
            string seedPart = Rows.Count == 0 ? $"{steps} checked steps (no seed claims); " :
                   $"{Rows.Count} seed claims ({Rows.Count(r => r.Verdict == AuditVerdict.Correct)} correct, " +
                   $"{Rows.Count(r => r.Verdict == AuditVerdict.WrongCorrected)} wrong and corrected, " +
                   $"{Rows.Count(r => r.Verdict == AuditVerdict.WrongNotCorrected)} wrong and not corrected) from {steps} checked steps; ";
            return seedPart + (ProjectClaimsHold ? "every project claim holds." : $"{unexpected} step(s) did NOT come out as claimed." +
                    string.Concat(Problems.Select(p => $" Problem: {p}.")));
        }
    }

    private static string Md(string s) => s.Replace("|", "\\|").Replace("\n", " ");

    /// <summary>The README table: Seed | Claim | Verdict | Evidence.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("| Seed | Claim | Verdict | Evidence |\n| --- | --- | --- | --- |\n");
        foreach (var r in Rows)
            sb.Append($"| {Md(r.Seed)} | `{r.StepId}` {Md(r.Claim)} | {r.VerdictText} | {Md(r.Evidence)} |\n");
        sb.Append('\n').Append(Summary).Append('\n');
        return sb.ToString();
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var r in Rows)
        {
            sb.Append($"{r.VerdictText,-30} {r.Seed,-26} {r.StepId}\n");
            sb.Append($"    claim:    {r.Claim}\n");
            sb.Append($"    evidence: {r.Evidence}\n");
        }
        foreach (var r in Records.Where(r => r.Seed is null))
        {
            string verdict = !r.AsExpected ? (r.Passed ? "NOT AS CLAIMED (passes, stated wrong)" : "NOT AS CLAIMED (fails)")
                : r.Passed ? "PASS" : "FAIL, as claimed (stated wrong)";
            sb.Append($"{verdict,-30} {r.Derivation}: {r.Id}\n");
            if (!r.AsExpected) sb.Append($"    evidence: {r.Evidence}\n");
        }
        sb.Append(Summary).Append('\n');
        return sb.ToString();
    }

    public string ToHtml()
    {
        string Colour(AuditVerdict v) => v switch
        {
            AuditVerdict.Correct => "#1a7f37",
            AuditVerdict.WrongCorrected => "#9a6700",
            _ => "#cf222e",
        };
        var rows = Rows.Select(r => new[]
        {
            Html.Escape(r.Seed),
            $"<code>{Html.Escape(r.StepId)}</code> {Html.Escape(r.Claim)}",
            $"<span style=\"color:{Colour(r.Verdict)}\">{Html.Escape(r.VerdictText)}</span>",
            Html.Escape(r.Evidence),
        });
        return "<div>" + Html.Table(["seed", "claim", "verdict", "evidence"], rows) + $"<p>{Html.Escape(Summary)}</p></div>";
    }
}

internal static class Html
{
    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static string Table(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder("<table style=\"border-collapse:collapse\"><thead><tr>");
        foreach (var h in header) sb.Append("<th style=\"text-align:left;border-bottom:1px solid #888;padding:2px 6px\">").Append(Escape(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var r in rows)
        {
            sb.Append("<tr>");
            foreach (var c in r) sb.Append("<td style=\"vertical-align:top;padding:2px 6px\">").Append(c).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }
}
