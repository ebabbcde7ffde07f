# A .sav written by R haven with a factor, as an analyst's R script delivers it: AG_ERNST
# holds the answers' labels, factor() numbers the levels 1..k alphabetically, write_sav
# stores those numbers with the labels. Run from tests/intake:  Rscript reference/haven.R
# (needs r-cran-haven); reads reference/haven_input.csv, writes reference/haven_factor.sav.
library(haven)
data <- read.csv("reference/haven_input.csv", sep = ";", na.strings = "", stringsAsFactors = FALSE,
                 colClasses = c(respondent_id = "character", TOELICHTING = "character"))
data$AG_ERNST <- factor(data$AG_ERNST)
write_sav(data, "reference/haven_factor.sav")
