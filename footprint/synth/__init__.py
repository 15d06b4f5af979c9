"""Synthetic extracts of the four organisations' feeds, from one synthetic population.

Modules, in the order a run uses them:
  reference      the seeds (SDFs, LSOAs, practices, Census population, age bands)
  scenario       rates, pathway probabilities and the planted signal (scenario.yml)
  nhs_numbers    Modulus 11 valid numbers from the never-issued 900-999 blocks
  population     the people: birth, sex, residence, practice, moves, care homes
  pathways       ambulance -> A&E -> admission -> discharge, readmission, reablement
  social_care    the council's requests, assessments, services and reviews
  registrations  GP registers and the practice map
  feeds          contract-ordered tables, one delivery per period
  faults         the fault catalogue and its ground-truth manifest
  writers        CSV, JSON lines and Excel bytes
  generator      one run end to end; cli is its command line
"""
