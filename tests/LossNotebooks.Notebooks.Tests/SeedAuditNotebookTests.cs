using LossNotebooks.Derivations;
using LossNotebooks.Notebooks.Documents;
using LossNotebooks.Notebooks.Execution;

namespace LossNotebooks.Notebooks.Tests;

/// <summary>
/// The seed audit inside `dotnet test`: the four seed notebooks executed on the kernel, and every step they display
/// compared with the list below — its id, what the notebook claims (a line stated as wrong must fail, every other line
/// must pass) and how many inputs it was evaluated on. The list is written here from the notebooks' sources (the
/// derivations' sample counts: 200 in 01 and 02, 4 in 03, 3 in 06 with `samples: 2` on its five expensive steps), so
/// a step that disappears, runs on fewer inputs, or changes verdict fails this test, not only `lossnb check` in CI.
/// </summary>
public class SeedAuditNotebookTests
{
    private const bool Wrong = false, Right = true;

    private static readonly (string Notebook, (string Id, bool Passes, int Samples)[] Steps)[] Expected =
    [
        ("01-softmax-cross-entropy.ipynb",
        [
            ("ce.loss.1", Right, 200), ("ce.name-kl", Right, 200), ("ce.grad.1", Right, 200), ("ce.grad.2", Right, 200),
            ("ce.grad.3", Right, 200), ("ce.grad.4", Right, 200), ("ce.grad.5", Right, 200), ("ce.hess.seed-literal", Wrong, 200),
            ("ce.hess.seed-free-j", Wrong, 200), ("ce.hess.diag", Right, 200), ("ce.hess.block", Right, 200),
        ]),
        ("02-brier-score.ipynb",
        [
            ("br.loss", Right, 200), ("br.dsigma.1", Right, 200), ("br.dsigma.2", Right, 200), ("br.grad.1", Right, 200),
            ("br.grad.2", Right, 200), ("br.grad.3", Right, 200), ("br.grad.4", Right, 200), ("br.grad.python", Right, 200),
            ("br.dsigma.ll", Right, 200), ("br.dsigma.jl", Right, 200), ("br.hess.1", Right, 200), ("br.hess.2", Right, 200),
            ("br.dS.1", Right, 200), ("br.dS.2", Right, 200), ("br.dS.3", Right, 200), ("br.dS.4-seed", Wrong, 200),
            ("br.dS.4", Right, 200), ("br.hess.3-seed", Wrong, 200), ("br.hess.3-inherits", Right, 200), ("br.hess.3", Right, 200),
        ]),
        ("03-multiclass-svm.ipynb",
        [
            ("svm.loop-seed", Wrong, 4), ("svm.loop", Right, 4), ("svm.vectorized", Right, 4), ("svm.forward-difference-seed", Right, 4),
            ("svm.central-difference", Right, 4), ("svm.search-loss-flat", Right, 4), ("svm.random-labels", Right, 4),
        ]),
        ("06-warp-loss.ipynb",
        [
            ("warp.data.N=1", Right, 3), ("warp.margin-row-seed", Wrong, 3), ("warp.margin-row", Right, 3), ("warp.positive-seed", Wrong, 3),
            ("warp.positive", Right, 3), ("warp.weight-seed", Wrong, 3), ("warp.weight", Right, 3), ("warp.loss_grad-seed", Wrong, 3),
            ("warp.gradient", Right, 2), ("warp.forward-1e-10", Wrong, 2), ("warp.hessian-restore-seed", Wrong, 2),
            ("warp.hessian-restore", Right, 2), ("warp.hessian-zero", Right, 2),
        ]),
    ];

    [Fact]
    public async Task Every_seed_step_is_shown_once_evaluated_on_every_input_and_comes_out_as_claimed()
    {
        string repo = TestNotebooks.RepoRoot();
        CliTests.BuildLibraryRelease(repo);
        using var folder = new TempFolder();
        var options = TestNotebooks.Options(o => o with { CellTimeout = TimeSpan.FromMinutes(3) });
        var executed = new string[Expected.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, Expected.Length), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
        {
            var doc = NotebookDocument.Load(Path.Combine(repo, "notebooks", Expected[i].Notebook));
            var result = await new NotebookExecutor(options).RunAsync(doc, ct);
            Assert.True(result.Succeeded, $"{Expected[i].Notebook}: {string.Join("; ", result.Cells.Where(c => c.Status == CellStatus.Failed).Select(c => c.Reason))}");
            executed[i] = Path.Combine(folder.Path, Expected[i].Notebook);
            doc.Save(executed[i]);
        });
        for (int i = 0; i < Expected.Length; i++)
        {
            var records = SeedAudit.ReadNotebook(executed[i]);
            var (notebook, steps) = Expected[i];
            Assert.Equal(steps.Select(s => s.Id), records.Select(r => r.Id));
            foreach (var (r, s) in records.Zip(steps))
            {
                Assert.True(r.Passed == s.Passes, $"{notebook} {r.Id}: passed = {r.Passed}, the notebook claims {(s.Passes ? "it holds" : "it is wrong")}");
                Assert.Equal(s.Passes ? ExpectedVerdict.Correct : ExpectedVerdict.Wrong, r.Expected);
                Assert.True(r.Samples == s.Samples, $"{notebook} {r.Id}: evaluated on {r.Samples} inputs, not {s.Samples}");
                Assert.True(s.Passes ? r.Failures == 0 : r.Failures > 0, $"{notebook} {r.Id}: {r.Failures} failures");
                Assert.NotNull(r.Seed);
            }
        }
        var audit = SeedAudit.FromNotebooks(executed);
        Assert.True(audit.ProjectClaimsHold, audit.ToString());
        Assert.Equal(42, audit.Rows.Count);
        Assert.Equal(11, audit.Rows.Count(r => r.Verdict == AuditVerdict.WrongCorrected));
    }
}
