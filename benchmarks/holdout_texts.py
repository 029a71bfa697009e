"""The transcripts of the held-out cases (`benchmarks/holdout.py`) and the texts their
background voices read, written for the held-out check and used nowhere else: a cooking
show, a football commentary and a parish council meeting, each as a user would upload it
("NAME:" labels); a museum guide for the babble and a news bulletin for the TV. The
background texts are never the speech of any case, so a background voice cannot be
mistaken for a transcript sentence by its words.
"""

# ruff: noqa: E501

RECIPE = """\
HOST: Welcome back to Sunday Kitchen. Today Marco is making a lemon risotto for four.
MARCO: Thanks. It's simpler than people think.
HOST: Go on.
MARCO: First, warm one litre of chicken stock in a small pan. Keep it just below a simmer.
HOST: Why not boiling?
MARCO: Boiling stock evaporates, and you lose about a fifth of it before you start.
HOST: Right.
MARCO: Now, one onion, very finely chopped. Two tablespoons of butter in a wide pan, medium heat.
HOST: How fine is very fine?
MARCO: About the size of a grain of rice. That way it melts into the dish.
HOST: Okay.
MARCO: Cook the onion for six or seven minutes. It should be soft, not brown.
HOST: And then the rice?
MARCO: Yes. Three hundred grams of arborio. Stir it for two minutes until the edges turn clear.
HOST: I can hear it crackling.
MARCO: That's the sound you want. Now a glass of dry white wine.
HOST: All of it?
MARCO: All of it. Let it bubble away completely.
HOST: Then the stock.
MARCO: Exactly. One ladle at a time. Stir, wait until it's almost absorbed, then add the next.
HOST: How long does that take?
MARCO: Eighteen to twenty minutes. Don't walk away.
HOST: Fair enough.
MARCO: While we wait, zest two lemons. Only the yellow part, the white pith is bitter.
HOST: Like this?
MARCO: Perfect. Now squeeze one of them. We need about forty millilitres of juice.
HOST: Yes.
MARCO: Taste the rice now. It should be soft outside, with a tiny bite in the middle.
HOST: Almost there, I'd say.
MARCO: Agreed. Two more ladles. Then take it off the heat.
HOST: Off the heat already?
MARCO: This is the important part. Add cold butter, the zest, the juice and fifty grams of parmesan.
HOST: And stir hard?
MARCO: Stir hard for one minute. The Italians call it mantecatura.
HOST: It's gone glossy.
MARCO: That's the starch. Cover it and let it rest for two minutes.
HOST: Salt?
MARCO: Taste first. The stock and the cheese are already salty.
HOST: Mm. That's wonderful.
MARCO: Serve it on warm plates, with a little more zest on top.
HOST: Marco, thank you.
MARCO: My pleasure.
HOST: Next week, a chocolate tart with only five ingredients. See you then.
"""

MATCH = """\
ANDY: And we're under way here at Riverside, Calder United in red, Hartley Town in blue.
BETH: A big crowd tonight, almost thirty two thousand.
ANDY: Okonkwo wins it in midfield. Plays it wide to Fischer.
BETH: Good ball.
ANDY: Fischer goes past one. Crosses. Headed clear by Lindqvist.
BETH: Hartley look nervous early on.
ANDY: Corner to Calder. Eleven minutes gone.
BETH: Watch the near post.
ANDY: In it comes. Flicked on. And it's over the bar!
BETH: So close. Delgado had to score there.
ANDY: Let's go down to Priya on the touchline.
PRIYA: Thanks Andy. The Hartley manager is not happy with his back four.
PRIYA: He's been shouting at Lindqvist for the last five minutes.
ANDY: Thanks Priya. Hartley break now. Moreau on the ball.
BETH: Space in front of him.
ANDY: Moreau from twenty five yards. Saved!
BETH: Great hands from Kowalski.
ANDY: Twenty three minutes played. Still nil nil.
BETH: It's end to end now.
ANDY: Free kick to Calder, just outside the box.
BETH: Fischer will take it. He scored one like this in March.
ANDY: He steps up. Over the wall. It's in!
BETH: Top corner! What a strike!
ANDY: One nil to Calder United, on twenty six minutes.
BETH: The keeper didn't move.
ANDY: Hartley need a response.
PRIYA: Andy, there's a change coming for Hartley already.
PRIYA: Number nineteen, Abara, is warming up.
ANDY: Interesting. Thirty minutes gone.
BETH: Calder are sitting deeper now.
ANDY: Abara comes on for Moreau.
BETH: Fresh legs. Pace.
ANDY: Abara straight at the full back. Inside. Shoots. Blocked!
BETH: Last ditch tackle from Reilly.
ANDY: Corner to Hartley. Forty minutes played.
BETH: Everyone back for Calder.
ANDY: Swung in. Punched away. Cleared.
BETH: Two minutes of added time.
ANDY: And there's the whistle. Half time here, Calder United one, Hartley Town nil.
BETH: Deserved, I think. We'll be back after the break.
"""

COUNCIL = """\
CHAIR: Good evening. This is the meeting of the Eastfield parish council, on the fourth of November.
CHAIR: Present are six councillors, the clerk and two members of the public.
CHAIR: Item one, the minutes of the October meeting. Any corrections?
GRANT: None from me.
CHAIR: Proposed?
GRANT: Proposed.
OWUSU: Seconded.
CHAIR: All in favour? Carried. Item two, the budget. Mrs Owusu.
OWUSU: Thank you, chair. The precept for next year is forty one thousand, two hundred pounds.
OWUSU: That is an increase of three point eight percent.
GRANT: Can I ask why?
OWUSU: Yes. Mostly the grass cutting contract, which went up by two thousand pounds.
CHAIR: Go on.
OWUSU: Street lighting costs rose by six hundred and fifty pounds, because of electricity prices.
OWUSU: We also set aside fifteen hundred pounds for the war memorial repairs.
GRANT: Is that enough?
OWUSU: The stonemason quoted one thousand, four hundred and eighty.
GRANT: Fine.
CHAIR: Any other questions on the budget?
CHAIR: No. Then I'll take a vote. In favour?
GRANT: Yes.
OWUSU: Yes.
CHAIR: Against? None. Abstentions? One. The budget is approved.
CHAIR: Item three, planning. Application twenty four stroke zero eight one nine.
GRANT: That's the barn conversion on Mill Road.
CHAIR: Correct. Two new houses, with parking for four cars.
OWUSU: The neighbours have written to us. Eleven letters, all against.
CHAIR: Their main concern?
OWUSU: Traffic on the lane, which is single track for about three hundred metres.
GRANT: I walked it on Saturday. There are two passing places, both in poor repair.
CHAIR: So shall we object?
GRANT: I'd suggest no objection, but ask for the passing places to be repaired.
OWUSU: I agree with that.
CHAIR: Then that's our response. The clerk will write to the district council by Friday.
CHAIR: Item four, the playground. Mr Grant.
GRANT: The safety inspection found two problems.
GRANT: The zip wire cable is worn, and one swing seat is cracked.
CHAIR: Is the playground closed?
GRANT: No. The zip wire is taped off. The seat was replaced on Tuesday.
CHAIR: Good.
GRANT: A new cable costs eight hundred and twenty pounds, fitted.
OWUSU: We have that in the maintenance reserve.
CHAIR: Then let's approve it. Agreed?
GRANT: Agreed.
OWUSU: Agreed.
CHAIR: Any other business? No. The next meeting is on the second of December, at seven thirty.
CHAIR: Thank you all. The meeting is closed at eight fourteen.
"""

# read by the background voices (babble, the TV): never the speech of any case
BABBLE = """\
The museum opens at ten every morning except Mondays, when the galleries are cleaned.
Visitors can borrow an audio guide at the desk by the main entrance.
The first room holds maps drawn by sailors in the sixteenth century.
Many of them show coasts that nobody had yet walked along.
Further on, a long corridor leads to the collection of clocks.
The oldest of them still keeps time to within a minute a week.
Children usually like the room of fossils best, with its huge skull of a marine reptile.
The cafe on the top floor looks out over the harbour and the old lighthouse.
On Thursdays the museum stays open until nine in the evening.
Guided tours leave every hour from the foot of the grand staircase.
The gardens behind the building were planted by a botanist in eighteen forty.
Some of the trees came as seeds from the other side of the world.
In spring the magnolias flower for about two weeks.
The library on the second floor can be used by anyone with a reader's card.
Photography is allowed everywhere except in the room of drawings, which are fragile.
The shop sells postcards, books about the collection and copies of the oldest maps.
A new wing, built of glass and timber, will open to the public next summer.
It will house the textiles, which have been in storage for thirty years.
Volunteers have spent two winters cleaning and cataloguing every piece.
"""

NEWS = """\
Good afternoon, here is the news at two o'clock.
Heavy rain has closed several roads in the north of the county this morning.
Drivers are advised to avoid the valley road between Ashby and Kirkton.
The river is expected to peak this evening, and sandbags are available at the town hall.
In other news, the city's new tram line has carried its one millionth passenger.
The line opened in June, three months later than planned.
Local schools have been told to expect an inspection before Christmas.
Teachers' representatives say they welcome the visits but want more notice.
A rare white stork has been seen on farmland near the coast.
Bird watchers have travelled from across the country to see it.
And in sport, the county cricket team has signed a new fast bowler from New Zealand.
Now the weather. Rain clearing to the east by midnight, with a cold night to follow.
Tomorrow, bright and breezy, with highs of eleven degrees.
"""
