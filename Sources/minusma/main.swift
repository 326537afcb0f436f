import MinusmaCommands

MinusmaMain.run()
