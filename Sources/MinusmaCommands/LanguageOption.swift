import ArgumentParser
import FeatureCore

extension Language: ExpressibleByArgument {}

/// `--lang fr|en`, shared by every command that writes text for people.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"),
            help: ArgumentHelp("The language of titles, legends, descriptions and layer names (field names stay the same).",
                               valueName: "language"))
    var language: Language = .en
}
