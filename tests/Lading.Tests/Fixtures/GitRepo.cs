namespace Lading.Tests.Fixtures;

/// <summary>A real git repository made by a test: files, commits, branches, annotated and lightweight tags.</summary>
public sealed class GitRepo
{
    private static readonly Dictionary<string, string> Identity = new()
    {
        ["GIT_AUTHOR_NAME"] = "Test", ["GIT_AUTHOR_EMAIL"] = "test@example.com",
        ["GIT_COMMITTER_NAME"] = "Test", ["GIT_COMMITTER_EMAIL"] = "test@example.com",
    };

    private GitRepo(string path) => Path = path;

    public string Path { get; }

    public string Url => "file://" + Path;

    public static GitRepo Init(string path, string branch = "main")
    {
        Directory.CreateDirectory(path);
        var repo = new GitRepo(path);
        repo.Git("init", "--quiet", "-b", branch);
        return repo;
    }

    public GitRepo Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public GitRepo Link(string relative, string target)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
        return this;
    }

    public GitRepo Delete(string relative)
    {
        var full = System.IO.Path.Combine(Path, relative);
        if (Directory.Exists(full))
        {
            Directory.Delete(full, true);
        }
        else
        {
            File.Delete(full);
        }

        return this;
    }

    public GitRepo Commit(string message)
    {
        Git("add", "--all");
        Git("commit", "--quiet", "--allow-empty", "-m", message);
        return this;
    }

    public GitRepo Tag(string name, string? message = null)
    {
        if (message is null)
        {
            Git("tag", name);
        }
        else
        {
            Git("tag", "-a", name, "-m", message);
        }

        return this;
    }

    public GitRepo Checkout(string branch, bool create = false)
    {
        if (create)
        {
            Git("checkout", "--quiet", "-b", branch);
        }
        else
        {
            Git("checkout", "--quiet", branch);
        }

        return this;
    }

    public string Head => Git("rev-parse", "HEAD").Trim();

    public string Git(params string[] args)
    {
        var result = Shell.Run(Requires.Tool("git", "git"), ["-C", Path, .. args], environment: Identity);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed in {Path}: {result.All}");
        }

        return result.Output;
    }
}
