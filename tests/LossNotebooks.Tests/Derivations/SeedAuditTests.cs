using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>The audit built from step records (what the notebooks display), and reading them back out of a notebook file.</summary>
public class SeedAuditTests
{
    private static StepRecord Rec(string id, bool passed, ExpectedVerdict expected = ExpectedVerdict.Correct, string? fix = null, string seed = "001.txt", string derivation = "d") =>
        new(derivation, seed, id, "claim " + id, expected, fix, passed, 10, passed ? 0 : 3, passed ? 1e-13 : 1.5, 0.1, 1e-9, 1e-9, "reason", passed ? "ok evidence" : "bad evidence");

    [Fact]
    public void Verdicts_follow_the_claim_and_the_result()
    {
        var audit = SeedAudit.FromRecords(
        [
            Rec("a", true),                                               // Correct
            Rec("b-seed", false, ExpectedVerdict.Wrong, "b"),         // Wrong, corrected
            Rec("b", true),                                               // the correction: no row of its own
            Rec("c", false),                                              // claimed correct, fails
            Rec("d-seed", true, ExpectedVerdict.Wrong, "d"),          // seed error that passes
            Rec("d", true),
            Rec("e-seed", false, ExpectedVerdict.Wrong, "e"),         // correction fails too
            Rec("e", false),
        ]);
        Assert.Equal(["a", "b-seed", "c", "d-seed", "e-seed"], audit.Rows.Select(r => r.StepId).ToArray());
        Assert.Equal([AuditVerdict.Correct, AuditVerdict.WrongCorrected, AuditVerdict.CorrectClaimFailed, AuditVerdict.SeedErrorNotReproduced, AuditVerdict.WrongNotCorrected],
            audit.Rows.Select(r => r.Verdict).ToArray());
        Assert.Equal("seed: bad evidence; corrected (b): ok evidence", audit.Rows[1].Evidence);
        Assert.False(audit.ProjectClaimsHold);
    }

    [Fact]
    public void All_as_claimed_holds_and_a_single_unexpected_pass_breaks_it()
    {
        StepRecord[] good = [Rec("a", true), Rec("b-seed", false, ExpectedVerdict.Wrong, "b"), Rec("b", true)];
        Assert.True(SeedAudit.FromRecords(good).ProjectClaimsHold);
        Assert.False(SeedAudit.FromRecords([.. good[..1], Rec("b-seed", true, ExpectedVerdict.Wrong, "b"), good[2]]).ProjectClaimsHold);
    }

    [Fact]
    public void Duplicates_and_missing_corrections_are_problems()
    {
        var dup = SeedAudit.FromRecords([Rec("a", true), Rec("a", true)]);
        Assert.False(dup.ProjectClaimsHold);
        Assert.Contains(dup.Problems, p => p.Contains("shown 2 times"));
        var missing = SeedAudit.FromRecords([Rec("b-seed", false, ExpectedVerdict.Wrong, "b")]);
        Assert.False(missing.ProjectClaimsHold);
        Assert.Contains(missing.Problems, p => p.Contains("no cell shows"));
    }

    [Fact]
    public void A_record_that_contradicts_itself_is_a_problem()
    {
        // Passed = true with failures (an edited notebook), or more failures than inputs: never "every claim holds".
        var lying = Rec("a", passed: true) with { Samples = 200, Failures = 163 };
        var audit = SeedAudit.FromRecords([lying]);
        Assert.False(audit.ProjectClaimsHold);
        Assert.Contains(audit.Problems, p => p.Contains("says Passed = True with 163 failures of 200 inputs"));
        Assert.False(SeedAudit.FromRecords([Rec("b", passed: false) with { Failures = 0 }]).ProjectClaimsHold);
        Assert.True(SeedAudit.FromRecords([Rec("c", passed: true)]).ProjectClaimsHold);
    }

    [Fact]
    public void Steps_without_a_seed_count_but_get_no_row()
    {
        var audit = SeedAudit.FromRecords([Rec("mine", false) with { Seed = null }]);
        Assert.Empty(audit.Rows);
        Assert.False(audit.ProjectClaimsHold);
    }

    [Fact]
    public void Records_are_read_back_from_a_notebook_as_string_or_object()
    {
        var r = Rec("x", true);
        string json = r.ToJson();
        string quoted = System.Text.Json.JsonSerializer.Serialize(json);
        string mime = StepResult.MimeType;
        string nb = "{\"cells\": [" +
            "{\"cell_type\": \"markdown\", \"source\": []}," +
            "{\"cell_type\": \"code\", \"outputs\": [{\"output_type\": \"execute_result\", \"data\": {\"text/plain\": \"x PASS\", \"" + mime + "\": " + quoted + "}}]}," +
            "{\"cell_type\": \"code\", \"outputs\": [{\"output_type\": \"display_data\", \"data\": {\"" + mime + "\": " + json + "}}]}," +
            "{\"cell_type\": \"code\", \"outputs\": [{\"output_type\": \"stream\", \"text\": \"hello\"}]}" +
            "], \"nbformat\": 4}";
        var path = Path.Combine(Path.GetTempPath(), $"lossnb-audit-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, nb);
        try
        {
            var read = SeedAudit.ReadNotebook(path);
            Assert.Equal(2, read.Count);
            Assert.All(read, x => Assert.Equal(r, x));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Markdown_escapes_pipes_and_keeps_evidence_whole()
    {
        var audit = SeedAudit.FromRecords([Rec("a", true) with { Evidence = "max |Δ| = 1E-13, a long evidence string that must not be cut" }]);
        var md = audit.ToMarkdown();
        Assert.Contains("max \\|Δ\\| = 1E-13, a long evidence string that must not be cut |", md);
    }
}
