from export_licenses.entry import main

main()
