import MinusmaCommands
import TextOutput

// First, before any thread starts: SIGINT/SIGTERM then remove temporary files and exit 130/143.
Interruption.install(programName: "minusma")

MinusmaMain.run()
