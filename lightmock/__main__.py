raise SystemExit(__import__("lightmock.cli", fromlist=["main"]).main())
