// Command brokenfn does not compile, on purpose: the local stack's tests
// check that a function whose source cannot be built is reported clearly.
package main

func main() {
	undefinedHandler()
}
