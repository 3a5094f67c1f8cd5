from export_licenses.cli import main

main()
