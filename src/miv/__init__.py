"""miv: the Monitor Integriteit en Veiligheid, from questionnaire to publication."""

__version__ = "0.1.0"
