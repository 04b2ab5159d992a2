using System.Text.RegularExpressions;
using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>
/// What <c>lossnb check</c> prints and CI reads: the summary line (counts per verdict, whether every claim holds, the
/// problems), the console report, the Markdown table and the HTML table; the self-contradicting record check; and the
/// audit read from notebook files. Every count below is worked out from the records listed in the test.
/// </summary>
public class SeedAuditReportTests
{
    private static StepRecord Rec(string id, bool passed, ExpectedVerdict expected = ExpectedVerdict.Correct, string? fix = null,
        string? seed = "001.txt", string derivation = "d") =>
        new(derivation, seed, id, "claim " + id, expected, fix, passed, 10, passed ? 0 : 3, passed ? 1e-13 : 1.5, 0.1, 1e-9, 1e-9,
            "reason", passed ? "ok evidence" : "bad evidence");

    /// <summary>One of each verdict: a Correct seed line, a corrected one, a failing Correct claim, a seed error that passes, an uncorrected one.</summary>
    private static SeedAudit EveryVerdict() => SeedAudit.FromRecords(
    [
        Rec("a", true),
        Rec("b-seed", false, ExpectedVerdict.Wrong, "b"), Rec("b", true),
        Rec("c", false),
        Rec("d-seed", true, ExpectedVerdict.Wrong, "d"), Rec("d", true),
        Rec("e-seed", false, ExpectedVerdict.Wrong, "e"), Rec("e", false),
    ]);

    /// <summary>Every claim as stated: 3 Correct seed lines, 2 corrected, 1 without a correction, and 2 steps of one's own (no seed).</summary>
    private static SeedAudit AllHold() => SeedAudit.FromRecords(
    [
        Rec("a1", true, seed: "s.txt", derivation: "D"), Rec("a2", true, seed: "s.txt", derivation: "D"), Rec("a3", true, seed: "s.txt", derivation: "D"),
        Rec("w1-seed", false, ExpectedVerdict.Wrong, "w1", "s.txt", "D"), Rec("w1", true, seed: "s.txt", derivation: "D"),
        Rec("w2-seed", false, ExpectedVerdict.Wrong, "w2", "s.txt", "D"), Rec("w2", true, seed: "s.txt", derivation: "D"),
        Rec("n1-seed", false, ExpectedVerdict.Wrong, null, "s.txt", "D"),
        Rec("own", true, seed: null, derivation: "D"),
        Rec("own-w", false, ExpectedVerdict.Wrong, seed: null, derivation: "D"),
    ]);

    private const string Header = "| Seed | Claim | Verdict | Evidence |\n| --- | --- | --- | --- |\n";

    [Fact]
    public void The_markdown_table_has_a_header_one_row_per_claim_with_its_verdict_and_the_summary_below()
    {
        // 8 records, 5 claims (the corrections b, d, e have no row); not as claimed: c (fails), d-seed (passes), e (fails).
        Assert.Equal(Header +
            "| 001.txt | `a` claim a | Correct | ok evidence |\n" +
            "| 001.txt | `b-seed` claim b-seed | Wrong (corrected form passes) | seed: bad evidence; corrected (b): ok evidence |\n" +
            "| 001.txt | `c` claim c | FAILED (claimed correct) | bad evidence |\n" +
            "| 001.txt | `d-seed` claim d-seed | NOT REPRODUCED (claimed wrong) | seed: ok evidence; corrected (d): ok evidence |\n" +
            "| 001.txt | `e-seed` claim e-seed | Wrong-and-not-corrected | seed: bad evidence; corrected (e): bad evidence |\n" +
            "\n5 seed claims (1 correct, 1 wrong and corrected, 1 wrong and not corrected) from 8 checked steps; " +
            "3 step(s) did NOT come out as claimed.\n",
            EveryVerdict().ToMarkdown());
    }

    [Fact]
    public void When_every_claim_holds_the_summary_counts_each_verdict_and_says_so()
    {
        var audit = AllHold();
        Assert.True(audit.ProjectClaimsHold);
        Assert.Equal(6, audit.Rows.Count);
        string md = audit.ToMarkdown();
        Assert.StartsWith(Header + "| s.txt | `a1` claim a1 | Correct | ok evidence |\n", md);
        Assert.Contains("| s.txt | `n1-seed` claim n1-seed | Wrong-and-not-corrected | seed: bad evidence; no correction |\n", md);
        Assert.EndsWith("|\n\n6 seed claims (3 correct, 2 wrong and corrected, 1 wrong and not corrected) from 10 checked steps; " +
                        "every project claim holds.\n", md);
    }

    [Fact]
    public void The_console_report_lists_each_claim_then_each_step_of_ones_own_then_the_summary()
    {
        static string Claim(string verdict, string seed, string id, string evidence) =>
            $"{verdict.PadRight(30)} {seed.PadRight(26)} {id}\n    claim:    claim {id}\n    evidence: {evidence}\n";
        Assert.Equal(
            Claim("Correct", "s.txt", "a1", "ok evidence") + Claim("Correct", "s.txt", "a2", "ok evidence") + Claim("Correct", "s.txt", "a3", "ok evidence") +
            Claim("Wrong (corrected form passes)", "s.txt", "w1-seed", "seed: bad evidence; corrected (w1): ok evidence") +
            Claim("Wrong (corrected form passes)", "s.txt", "w2-seed", "seed: bad evidence; corrected (w2): ok evidence") +
            Claim("Wrong-and-not-corrected", "s.txt", "n1-seed", "seed: bad evidence; no correction") +
            "PASS".PadRight(30) + " D: own\n" +
            "FAIL, as claimed (stated wrong) D: own-w\n" +
            "6 seed claims (3 correct, 2 wrong and corrected, 1 wrong and not corrected) from 10 checked steps; every project claim holds.\n",
            AllHold().ToString());
    }

    [Fact]
    public void Steps_of_ones_own_that_are_not_as_claimed_are_counted_and_show_their_evidence()
    {
        var audit = SeedAudit.FromRecords(
        [
            Rec("x", true, ExpectedVerdict.Wrong, seed: null, derivation: "D"),   // stated wrong, passes
            Rec("y", false, seed: null, derivation: "D"),                          // stated right, fails
            Rec("z", true, seed: null, derivation: "D"),                           // as claimed
        ]);
        Assert.Empty(audit.Rows);
        Assert.Equal(
            "NOT AS CLAIMED (passes, stated wrong) D: x\n    evidence: ok evidence\n" +
            "NOT AS CLAIMED (fails)".PadRight(30) + " D: y\n    evidence: bad evidence\n" +
            "PASS".PadRight(30) + " D: z\n" +
            "3 checked steps (no seed claims); 2 step(s) did NOT come out as claimed.\n",
            audit.ToString());
        Assert.Equal(Header + "\n1 checked steps (no seed claims); every project claim holds.\n",
            SeedAudit.FromRecords([Rec("z", true, seed: null)]).ToMarkdown());
    }

    [Fact]
    public void Problems_given_and_found_are_listed_in_the_summary_and_a_repeated_claim_gets_one_row()
    {
        var audit = SeedAudit.FromRecords([Rec("a", true), Rec("a", true)], ["07-x.ipynb is missing"]);
        Assert.False(audit.ProjectClaimsHold);
        Assert.Equal(["07-x.ipynb is missing", "step 'a' of 'd' is shown 2 times (one cell per step)"], audit.Problems);
        Assert.Single(audit.Rows);
        // Both records are as claimed: 0 unexpected steps, yet the claims do not hold because of the problems.
        Assert.EndsWith("\n1 seed claims (1 correct, 0 wrong and corrected, 0 wrong and not corrected) from 2 checked steps; " +
                        "0 step(s) did NOT come out as claimed. Problem: 07-x.ipynb is missing. " +
                        "Problem: step 'a' of 'd' is shown 2 times (one cell per step).\n", audit.ToMarkdown());

        var given = SeedAudit.FromRecords([Rec("a", true)], ["no notebook shows a derivation step"]);
        Assert.False(given.ProjectClaimsHold);
        Assert.Equal(["no notebook shows a derivation step"], given.Problems);
    }

    [Fact]
    public void The_same_seed_claim_in_two_derivations_is_one_row_and_another_seed_is_its_own()
    {
        var audit = SeedAudit.FromRecords(
            [Rec("a", true, derivation: "nb1"), Rec("a", true, derivation: "nb2"), Rec("a", true, seed: "002.txt", derivation: "nb3")]);
        Assert.Empty(audit.Problems);
        Assert.Equal([("001.txt", "a"), ("002.txt", "a")], audit.Rows.Select(r => (r.Seed, r.StepId)).ToArray());
    }

    [Fact]
    public void Failure_counts_outside_zero_to_samples_are_a_problem_and_all_failing_is_not()
    {
        // Stated wrong and failing: as claimed, so only the counts can make these records a problem.
        StepRecord Wrong(string id, int samples, int failures) =>
            Rec(id, false, ExpectedVerdict.Wrong, seed: null) with { Samples = samples, Failures = failures };
        var over = SeedAudit.FromRecords([Wrong("a", 10, 11)]);
        Assert.Equal(["step 'a' of 'd' has 11 failures of 10 inputs"], over.Problems);
        Assert.False(over.ProjectClaimsHold);
        Assert.Equal(["step 'n' of 'd' has -1 failures of 10 inputs"], SeedAudit.FromRecords([Wrong("n", 10, -1)]).Problems);
        // No inputs at all: "0 failures" must not pass for a verified step.
        var none = SeedAudit.FromRecords([Rec("z", true) with { Samples = 0, Failures = 0 }]);
        Assert.Equal(["step 'z' of 'd' has 0 failures of 0 inputs"], none.Problems);
        Assert.False(none.ProjectClaimsHold);
        // Every input failing is a consistent record.
        var all = SeedAudit.FromRecords([Wrong("f", 10, 10)]);
        Assert.Empty(all.Problems);
        Assert.True(all.ProjectClaimsHold);
    }

    [Fact]
    public void Markdown_cells_keep_one_line_and_escape_pipes_in_the_seed_and_the_claim()
    {
        var audit = SeedAudit.FromRecords([Rec("a", true, seed: "a|b.txt") with { Claim = "L = |x|\nthen 2|x|" }]);
        Assert.StartsWith(Header + "| a\\|b.txt | `a` L = \\|x\\| then 2\\|x\\| | Correct | ok evidence |\n", audit.ToMarkdown());
    }

    /// <summary>The HTML without its style attributes: the table's structure and text.</summary>
    private static string Bare(string html) => Regex.Replace(html, " style=\"[^\"]*\"", "");

    [Fact]
    public void The_html_table_has_a_header_row_one_row_per_claim_escaped_text_and_the_summary()
    {
        var audit = SeedAudit.FromRecords([Rec("a", true) with { Claim = "x < y & y > z" }]);
        Assert.Equal(
            "<div><table><thead><tr><th>seed</th><th>claim</th><th>verdict</th><th>evidence</th></tr></thead><tbody>" +
            "<tr><td>001.txt</td><td><code>a</code> x &lt; y &amp; y &gt; z</td><td><span>Correct</span></td><td>ok evidence</td></tr>" +
            "</tbody></table><p>1 seed claims (1 correct, 0 wrong and corrected, 0 wrong and not corrected) from 1 checked steps; " +
            "every project claim holds.</p></div>",
            Bare(audit.ToHtml()));
    }

    [Fact]
    public void The_html_verdicts_are_green_when_correct_amber_when_corrected_and_red_otherwise()
    {
        string html = EveryVerdict().ToHtml();
        Assert.Equal(["#1a7f37", "#9a6700", "#cf222e", "#cf222e", "#cf222e"],
            Regex.Matches(html, "<span style=\"color:(#[0-9a-f]{6})\">").Select(m => m.Groups[1].Value).ToArray());
        Assert.Equal(6, Regex.Matches(Bare(html), "<tr><t[hd]>.*?</t[hd]></tr>").Count);   // the header and 5 claims
        Assert.Contains("<td><span>NOT REPRODUCED (claimed wrong)</span></td>", Bare(html));
    }

    [Fact]
    public void The_audit_of_notebook_files_reads_every_step_and_names_a_notebook_without_steps()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"lossnb-audit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string Output(StepRecord r) =>
                "{\"cell_type\": \"code\", \"outputs\": [{\"output_type\": \"display_data\", \"data\": {\"" + StepResult.MimeType + "\": " + r.ToJson() + "}}]}";
            string steps = Path.Combine(dir, "02-steps.ipynb"), empty = Path.Combine(dir, "03-empty.ipynb");
            File.WriteAllText(steps, "{\"cells\": [" + Output(Rec("a", true)) + ", " + Output(Rec("b", true)) + "], \"nbformat\": 4}");
            File.WriteAllText(empty, "{\"cells\": [{\"cell_type\": \"code\", \"outputs\": []}], \"nbformat\": 4}");

            var ok = SeedAudit.FromNotebooks([steps]);
            Assert.Equal(["a", "b"], ok.Records.Select(r => r.Id).ToArray());
            Assert.Empty(ok.Problems);
            Assert.True(ok.ProjectClaimsHold);

            var withEmpty = SeedAudit.FromNotebooks([steps, empty]);
            Assert.Equal(2, withEmpty.Records.Count);
            Assert.Equal(["03-empty.ipynb shows no derivation step (was it executed?)"], withEmpty.Problems);
            Assert.False(withEmpty.ProjectClaimsHold);

            var given = SeedAudit.FromNotebooks([steps], ["04-gone.ipynb is not in the folder"]);
            Assert.Equal(["04-gone.ipynb is not in the folder"], given.Problems);
            Assert.False(given.ProjectClaimsHold);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
