package cli

// keysCommands are the subcommands of 'rasd keys'. Each lives in its own
// file (keys_recover.go, …) and adds itself here from an init function, so
// that new ones need no edit of this file.
var keysCommands = groups["keys"]
