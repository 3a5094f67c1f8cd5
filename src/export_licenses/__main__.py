from export_licenses.cli.entry import main

main()
