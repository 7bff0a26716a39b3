module example.com/gogen-example

go 1.25.0

replace github.com/witgo/witgo => ../..

require github.com/witgo/witgo v0.0.0
