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
/// Runs every seed derivation/check and tabulates one row per seed claim (corrections appear in the evidence of the
/// claim they correct). <see cref="ProjectClaimsHold"/> is what <c>lossnb check</c> turns into its exit code.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class SeedAudit : IRichDisplay
{
    private SeedAudit(IReadOnlyList<DerivationResult> results, IReadOnlyList<AuditRow> rows) => (Results, Rows) = (results, rows);

    public IReadOnlyList<DerivationResult> Results { get; }
    public IReadOnlyList<AuditRow> Rows { get; }

    /// <summary>
    /// False if any step the project claims correct fails (a Correct seed line, or a correction), or if a seed line
    /// the project calls wrong turns out to pass.
    /// </summary>
    public bool ProjectClaimsHold => Results.All(r => r.Steps.All(s => s.AsExpected));

    /// <summary>Runs <paramref name="derivations"/> (default: <see cref="SeedDerivations.All"/>).</summary>
    public static SeedAudit Run(IEnumerable<Derivation>? derivations = null)
    {
        var results = (derivations ?? SeedDerivations.All).Select(d => d.Run()).ToList();
        var rows = new List<AuditRow>();
        foreach (var r in results)
        {
            var corrections = r.Derivation.Steps.Where(s => s.CorrectedBy is not null).Select(s => s.CorrectedBy!).ToHashSet();
            foreach (var s in r.Steps)
            {
                if (corrections.Contains(s.Step.Id)) continue;
                rows.Add(Row(r, s));
            }
        }
        return new SeedAudit(results, rows);
    }

    private static AuditRow Row(DerivationResult r, StepResult s)
    {
        string seed = r.Derivation.Seed;
        if (s.Step.Expected == ExpectedVerdict.Correct)
            return new(seed, s.Step.Id, s.Step.Claim, s.Passed ? AuditVerdict.Correct : AuditVerdict.CorrectClaimFailed, s.Evidence);
        var fix = s.Step.CorrectedBy is { } id ? r[id] : null;
        string evidence = $"seed: {s.Evidence}" + (fix is null ? "; no correction" : $"; corrected ({fix.Step.Id}): {fix.Evidence}");
        var verdict = s.Passed ? AuditVerdict.SeedErrorNotReproduced
            : fix is { Passed: true } ? AuditVerdict.WrongCorrected : AuditVerdict.WrongNotCorrected;
        return new(seed, s.Step.Id, s.Step.Claim, verdict, evidence);
    }

    private string Summary
    {
        get
        {
            int steps = Results.Sum(r => r.Steps.Count), unexpected = Results.Sum(r => r.Steps.Count(s => !s.AsExpected));
            return $"{Rows.Count} claims ({Rows.Count(r => r.Verdict == AuditVerdict.Correct)} correct, " +
                   $"{Rows.Count(r => r.Verdict == AuditVerdict.WrongCorrected)} wrong and corrected, " +
                   $"{Rows.Count(r => r.Verdict == AuditVerdict.WrongNotCorrected)} wrong and not corrected) from {steps} checked steps; " +
                   (ProjectClaimsHold ? "every project claim holds." : $"{unexpected} step(s) did NOT come out as the project claims.");
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
