import ArgumentParser

/// Where the mailbox is: `--repo`, else `PARLEY_REPO`, else the nearest
/// repository above the working directory.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customLong("repo"),
        help: ArgumentHelp("The mailbox repository (default: $PARLEY_REPO, else the one containing the current directory).", valueName: "path"))
    var path: String?
}
