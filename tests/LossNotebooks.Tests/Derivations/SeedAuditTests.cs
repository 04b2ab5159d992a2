using System.Diagnostics;
using LossNotebooks.Derivations;
using Xunit.Abstractions;

namespace LossNotebooks.Tests.Derivations;

public class SeedAuditTests(ITestOutputHelper output)
{
    [Fact]
    public void Audit_holds_and_is_deterministic_and_fast_enough_to_report()
    {
        var sw = Stopwatch.StartNew();
        var first = SeedAudit.Run();
        output.WriteLine($"audit: {sw.ElapsedMilliseconds} ms");   // measured, not asserted (shared 2-core machine)
        var second = SeedAudit.Run();
        Assert.True(first.ProjectClaimsHold, first.ToString());
        Assert.Equal(first.ToMarkdown(), second.ToMarkdown());
        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(first.ToHtml(), second.ToHtml());
        output.WriteLine(first.ToMarkdown());
    }

    [Fact]
    public void Every_seed_appears_and_every_wrong_claim_is_corrected()
    {
        var audit = SeedAudit.Run();
        Assert.Equal(["000_d504d0f02f0971ec.txt", "001_ddc9ace596f0f920.txt", "002_4ae84c5654342c55.txt"], audit.Rows.Select(r => r.Seed).Distinct().Order().ToArray());
        Assert.DoesNotContain(audit.Rows, r => r.Verdict is AuditVerdict.WrongNotCorrected or AuditVerdict.CorrectClaimFailed or AuditVerdict.SeedErrorNotReproduced);
        Assert.Equal(12, audit.Rows.Count(r => r.Verdict == AuditVerdict.WrongCorrected));
        // Corrections are evidence of the claim they fix, not rows of their own.
        Assert.DoesNotContain(audit.Rows, r => r.StepId == "br.dS.4" || r.StepId == "ce.hess.diag");
    }

    [Fact]
    public void A_sign_flip_in_a_correct_step_is_caught_and_fails_the_audit()
    {
        var brier = SeedDerivations.BrierScore;
        var good = brier["br.grad.4"];
        var broken = good with { Right = s => good.Right(s).Select(v => -v).ToArray() };
        var audit = SeedAudit.Run([brier.With(broken)]);
        Assert.False(audit.ProjectClaimsHold);
        var row = audit.Rows.Single(r => r.StepId == "br.grad.4");
        Assert.Equal(AuditVerdict.CorrectClaimFailed, row.Verdict);
        Assert.Contains("FAILED", audit.ToMarkdown());
    }

    [Fact]
    public void A_dropped_factor_of_two_is_caught()
    {
        var brier = SeedDerivations.BrierScore;
        var good = brier["br.grad.python"];
        var halved = good with { Right = s => good.Right(s).Select(v => v / 2).ToArray() };
        Assert.False(brier.With(halved).Run("br.grad.python").Passed);
    }

    [Fact]
    public void A_broken_correction_turns_the_row_into_wrong_and_not_corrected()
    {
        var ce = SeedDerivations.SoftmaxCrossEntropy;
        var fix = ce["ce.hess.diag"];
        var broken = fix with { Right = s => fix.Right(s).Select(v => v * 1.01).ToArray() };
        var audit = SeedAudit.Run([ce.With(broken)]);
        Assert.False(audit.ProjectClaimsHold);
        Assert.Equal(AuditVerdict.WrongNotCorrected, audit.Rows.Single(r => r.StepId == "ce.hess.seed-literal").Verdict);
    }

    [Fact]
    public void A_nan_side_is_a_failure_not_a_pass()
    {
        var ce = SeedDerivations.SoftmaxCrossEntropy;
        var step = ce["ce.grad.5"] with { Right = _ => [double.NaN] };
        var r = ce.With(step).Run("ce.grad.5");
        Assert.False(r.Passed);
        Assert.Equal(double.PositiveInfinity, r.MaxExcess);
    }

    [Fact]
    public void Results_render_for_notebooks()
    {
        var audit = SeedAudit.Run([SeedDerivations.SoftmaxCrossEntropy]);
        string html = audit.ToHtml();
        Assert.StartsWith("<div>", html);
        Assert.Contains("<table", html);
        var d = audit.Results[0];
        Assert.Contains("$", d.ToHtml());   // LaTeX in $…$ for the notebook's MathJax
        Assert.Contains("\\sigma_{kl}", d.ToHtml());
        Assert.Contains("ce.hess.diag", d.ToString());
        Assert.NotNull(typeof(SeedAudit).GetCustomAttributes(false).SingleOrDefault(a => a.GetType().Name == "TypeFormatterSourceAttribute"));
        Assert.NotNull(typeof(DerivationResult).GetCustomAttributes(false).SingleOrDefault(a => a.GetType().Name == "TypeFormatterSourceAttribute"));
        Assert.NotNull(typeof(StepResult).GetCustomAttributes(false).SingleOrDefault(a => a.GetType().Name == "TypeFormatterSourceAttribute"));
    }
}
