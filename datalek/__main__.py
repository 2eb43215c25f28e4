from datalek.cli import main

main()
