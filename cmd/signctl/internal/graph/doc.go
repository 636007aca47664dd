// Package graph holds `signctl graph`: the state machine of the synthesized
// template, drawn as a Mermaid flowchart. It reads the cloud assembly's
// manifest and templates itself (assembly.go), without AWS and without the
// local stand-in.
package graph
