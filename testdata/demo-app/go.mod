module example.com/demo-app

go 1.25.0
